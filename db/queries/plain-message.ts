// The webhook's hot path: most pushes are ordinary messages from followers that need no new session
// and queue nothing. For a batch of them, claiming each dedupe key, renewing each follower's send
// grant, choosing each reply from the follower's open session and storing it take one statement,
// so one round trip and one commit (a statement is atomic; a concurrent duplicate in another
// statement waits on the unique index, then finds the stored reply).
//
// The reply follows lib/kf/routing.ts's table for anything but the keyword, where only the session
// is read here:
//   session active   → transfer_to_agent (the agent filled into replyToAgent)
//   session waiting  → transfer
//   no open session  → hint or acknowledge, decided by the caller from the message type
import 'server-only';
import type { DatabaseHandle } from '../client';
import { GRANTS, renewMessageGrantsCte } from './followers';
import { storedReplies } from './inbound-messages';
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
}

/** A message refused as a replay: its query was stored with another body. Nothing of it was stored. */
export const REPLAYED = 'replayed' as const;

// Rows are inserted in dedupe-key order and followers updated in openid order, so two batches that
// share keys or followers take their locks in the same order and never deadlock.
export const RECORD_PLAIN_MESSAGES = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $12::text[], $13::text[], $14::text[], $15::text[])
      as t(dedupe_key, openid, msg_type, summary, reply_none, reply_waiting, reply_before, reply_after,
        q_timestamp, q_nonce, q_signature, body_hash)
  ),
  ${replayGuardCtes()},
  open_session as (
    select openid, status, kf_account from customer_sessions
    where openid = any($2::text[]) and ${openSessionSql()}
      and not (${waitExpiredSql('$9')})
  ),
  claim as (
    insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, reply, received_at)
    select i.dedupe_key, i.openid, i.msg_type, i.summary, 'done',
      case
        when s.status = 'active' and s.kf_account is not null then ${replyAroundAgentSql('i.reply_before', 's.kf_account', 'i.reply_after')}
        when s.status is not null then i.reply_waiting
        else i.reply_none
      end,
      $9::timestamptz
    from admitted as i left join open_session as s on s.openid = i.openid
    order by i.dedupe_key
    on conflict (dedupe_key) do nothing
    returning dedupe_key, openid, reply
  ),
  ${renewMessageGrantsCte({ now: '$9', sends: '$10', expiresAt: '$11' })}
  select dedupe_key, reply, false as replayed from claim
  union all
  select dedupe_key, null, true from (${REFUSED_REPLAYS}) as refused`;

/**
 * Records a batch of ordinary messages; each one's reply, in order. A message already stored (a
 * retry) gets the reply stored the first time (null if none was); a replay gets REPLAYED. Keys must
 * be distinct within a batch.
 */
export async function recordPlainMessages(
  database: DatabaseHandle,
  messages: PlainMessage[],
  now: Date,
): Promise<(string | null | typeof REPLAYED)[]> {
  const raw = rawExecutor(database);
  const keys = messages.map((m) => m.dedupeKey);
  const rows = await raw.query<{ dedupe_key: string; reply: string; replayed: boolean }>(RECORD_PLAIN_MESSAGES, [
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
  ]);
  const replies = new Map<string, string | null | typeof REPLAYED>(rows.map((row) => [row.dedupe_key, row.replayed ? REPLAYED : row.reply]));
  const stored = await storedReplies(raw, messages.filter((m) => !replies.has(m.dedupeKey)));
  for (const [key, reply] of stored) replies.set(key, reply);
  return keys.map((key) => replies.get(key) ?? null);
}
