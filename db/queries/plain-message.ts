// The webhook's hot path: most pushes are ordinary messages from followers that need no new session.
// For a batch of them, claiming each dedupe key, renewing each follower's send grant, choosing each
// reply from the follower's open session and storing it take one statement, so one round trip and
// one commit (a statement is atomic; a concurrent duplicate in another statement waits on the
// unique index, then finds the stored reply).
//
// The reply follows lib/kf/routing.ts's table, where only the session is read here:
//   session active   → transfer_to_agent (the agent filled into replyToAgent)
//   session waiting  → transfer; for the keyword, requeue: transfer, and their place in line again
//   no open session  → hint or acknowledge, decided by the caller from the message type; the
//                      keyword is not claimed here but DEFERRED to the keyword transaction
//                      (keyword-messages.ts), the only path that opens sessions
// A follower already in line who sends the keyword again is the common keyword under load; handled
// here it costs an ordinary message's share of one statement instead of a keyword transaction.
import 'server-only';
import type { DatabaseHandle } from '../client';
import { GRANTS, renewMessageGrantsCte } from './followers';
import { storedReplies } from './inbound-messages';
import { KEYWORD_OUTBOX_KINDS } from './outbox';
import { rawExecutor } from './raw';
import { pushQueryParams, REFUSED_REPLAYS, replayGuardCtes, type PushQuery } from './replay-store';
import { replyAroundAgentSql } from './reply-around-agent';
import { openSessionSql, waitExpiredSql } from './session-rules';

export interface PlainMessage {
  dedupeKey: string;
  openid: string;
  msgType: string;
  summary: string | null;
  /** Reply when the follower has no open session: the hint, or `success` (routes hint, acknowledge). */
  replyWithoutSession: string;
  /** Reply while waiting: transfer to customer service (route transfer). */
  replyWhileWaiting: string;
  /** Reply while an agent holds the session (route transfer_to_agent), around the agent's kf_account. */
  replyToAgent: { before: string; after: string };
  /** The push's signed query, checked against the replay store (replay-store.ts); absent: not checked. */
  query?: PushQuery;
  /**
   * Set for the keyword (「客服」): handled here only while the follower is in line or with an agent,
   * else DEFERRED. `placeInLine` is the place-in-line row a waiting follower is sent again (its
   * payload as JSON text; the session's id is added as whileWaiting), or null when the settings turn
   * repeatPosition off.
   */
  keyword?: { placeInLine: { payload: string; priority: number } | null };
}

/** One message's outcome: its reply (null if a stored push has none) and whether its batch queued a send. */
export interface PlainResult {
  reply: string | null;
  queued: boolean;
}

/** A message refused as a replay: its query was stored with another body. Nothing of it was stored. */
export const REPLAYED = 'replayed' as const;
/** A keyword from a follower with no open session: not stored here; the keyword transaction decides it. */
export const DEFERRED = 'deferred' as const;
/** What the statement made of one message. */
export type PlainOutcome = PlainResult | typeof REPLAYED | typeof DEFERRED;

// Rows are inserted in dedupe-key order and followers updated in openid order, so two batches that
// share keys or followers take their locks in the same order and never deadlock.
export const RECORD_PLAIN_MESSAGES = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[])
      as t(dedupe_key, openid, msg_type, summary, reply_none, reply_waiting, reply_before, reply_after,
        q_timestamp, q_nonce, q_signature, body_hash, keyword, place_payload, place_priority)
  ),
  ${replayGuardCtes()},
  open_session as (
    select id, openid, status, kf_account from customer_sessions
    where openid = any($2::text[]) and ${openSessionSql()}
      and not (${waitExpiredSql('$9')})
  ),
  routed as (
    select i.*, s.id as session_id, s.status, s.kf_account, (i.keyword is not null and s.status is null) as deferred
    from admitted as i left join open_session as s on s.openid = i.openid
  ),
  claim as (
    insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, reply, received_at)
    select dedupe_key, openid, msg_type, summary, 'done',
      case
        when status = 'active' and kf_account is not null then ${replyAroundAgentSql('reply_before', 'kf_account', 'reply_after')}
        when status is not null then reply_waiting
        else reply_none
      end,
      $9::timestamptz
    from routed where not deferred
    order by dedupe_key
    on conflict (dedupe_key) do nothing
    returning dedupe_key, openid, reply
  ),
  ${renewMessageGrantsCte({ now: '$9', sends: '$10', expiresAt: '$11' })},
  requeued as (
    insert into outbox (kind, openid, priority, payload)
    select '${KEYWORD_OUTBOX_KINDS.placeInLine}', r.openid, r.place_priority, r.place_payload::jsonb || jsonb_build_object('whileWaiting', r.session_id)
    from claim as c join routed as r on r.dedupe_key = c.dedupe_key
    where r.keyword is not null and r.status = 'waiting' and r.place_payload is not null
    order by r.dedupe_key
    returning openid
  )
  select dedupe_key, reply, false as replayed, false as deferred, exists (select 1 from requeued) as queued from claim
  union all
  select dedupe_key, null, true, false, false from (${REFUSED_REPLAYS}) as refused
  union all
  select dedupe_key, null, false, true, false from routed where deferred`;

/**
 * Records a batch of ordinary messages (and keywords from followers in line or with an agent); each
 * one's outcome, in order. A message already stored (a retry) gets the reply stored the first time
 * (null if none was); a replay gets REPLAYED; a keyword from a follower without an open session gets
 * DEFERRED and nothing of it is stored. Keys must be distinct within a batch.
 */
export async function recordPlainMessages(
  database: DatabaseHandle,
  messages: PlainMessage[],
  now: Date,
): Promise<PlainOutcome[]> {
  const raw = rawExecutor(database);
  const keys = messages.map((m) => m.dedupeKey);
  const rows = await raw.query<{ dedupe_key: string; reply: string; replayed: boolean; deferred: boolean; queued: boolean }>(RECORD_PLAIN_MESSAGES, [
    keys,
    messages.map((m) => m.openid),
    messages.map((m) => m.msgType),
    messages.map((m) => m.summary),
    messages.map((m) => m.replyWithoutSession),
    messages.map((m) => m.replyWhileWaiting),
    messages.map((m) => m.replyToAgent.before),
    messages.map((m) => m.replyToAgent.after),
    now.toISOString(),
    GRANTS.message.sends,
    new Date(now.getTime() + GRANTS.message.validMs).toISOString(),
    ...pushQueryParams(messages),
    // Text, not boolean: postgres.js sends a boolean array as one boolean.
    messages.map((m) => (m.keyword ? 'keyword' : null)),
    messages.map((m) => m.keyword?.placeInLine?.payload ?? null),
    messages.map((m) => m.keyword?.placeInLine?.priority ?? null),
  ]);
  const outcomes = new Map<string, PlainOutcome>();
  for (const row of rows) {
    outcomes.set(row.dedupe_key, row.replayed ? REPLAYED : row.deferred ? DEFERRED : { reply: row.reply, queued: row.queued });
  }
  const stored = await storedReplies(raw, messages.filter((m) => !outcomes.has(m.dedupeKey)));
  for (const [key, reply] of stored) outcomes.set(key, { reply, queued: false });
  return keys.map((key) => outcomes.get(key) ?? { reply: null, queued: false });
}
