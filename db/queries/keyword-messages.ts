// The keyword path for a batch of pushes, as two statements inside one transaction: the first claims
// the pushes and reads everything the queue decision needs; the second writes what was decided
// (new sessions, outbox rows, replies). lib/kf/keyword-batch.ts decides in between, and runs them
// with twoStepTransaction (raw.ts): two round trips in all.
import { GRANTS, renewMessageGrantsCte } from './followers';
import type { Statement } from './raw';

export interface KeywordPush {
  dedupeKey: string;
  openid: string;
  msgType: string;
  summary: string | null;
}

/** A claimed push, with its follower's open session and the agents as the transaction first saw them. */
export interface ClaimedKeyword {
  inboundId: number;
  dedupeKey: string;
  openid: string;
  session:
    | { id: number; status: 'active'; kfAccount: string | null }
    | { id: number; status: 'waiting' }
    | undefined;
  activeAgents: number;
  /** Where agent alerts go: the kf_openid of every active agent that has one. */
  alertOpenids: string[];
}

// Pushes are claimed in dedupe-key order and followers locked in openid order, as the plain path
// does, so concurrent batches take locks in the same order. A waiting session past its expiry is
// expired here (every read agrees with the sweep) and left out of the result.
export const CLAIM_KEYWORDS = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(dedupe_key, openid, msg_type, summary)
  ),
  claim as (
    insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, received_at)
    select dedupe_key, openid, msg_type, summary, 'processing', $5::timestamptz from input
    order by dedupe_key
    on conflict (dedupe_key) do nothing
    returning id, dedupe_key, openid
  ),
  ${renewMessageGrantsCte({ now: '$5', sends: '$6', expiresAt: '$7' })},
  expired as (
    update customer_sessions set status = 'expired', ended_at = $5::timestamptz, end_reason = 'wait_expired', updated_at = $5::timestamptz
    where openid = any($2::text[]) and status = 'waiting' and wait_expires_at <= $5::timestamptz
  ),
  live as (
    select s.id, s.openid, s.status, s.kf_account
    from customer_sessions as s
    where s.openid = any($2::text[]) and s.status in ('waiting', 'active')
      and not (s.status = 'waiting' and s.wait_expires_at <= $5::timestamptz)
  )
  select c.id as inbound_id, c.dedupe_key, c.openid, s.id as session_id, s.status, s.kf_account,
    (select count(*) from agents where status = 'active')::int as active_agents,
    array(select kf_openid from agents where status = 'active' and kf_openid is not null order by kf_account) as alert_openids
  from claim as c left join live as s on s.openid = c.openid`;

/** A row of CLAIM_KEYWORDS, as the driver returns it. */
export interface ClaimKeywordsRow {
  inbound_id: number;
  dedupe_key: string;
  openid: string;
  session_id: number | null;
  status: 'waiting' | 'active' | null;
  kf_account: string | null;
  active_agents: number;
  alert_openids: string[];
}

/** Claims the pushes not seen before; its rows (claimedKeywords) are those, in no particular order. */
export function claimKeywordPushes(pushes: KeywordPush[], now: Date): Statement {
  return {
    text: CLAIM_KEYWORDS,
    params: [
      pushes.map((p) => p.dedupeKey),
      pushes.map((p) => p.openid),
      pushes.map((p) => p.msgType),
      pushes.map((p) => p.summary),
      now.toISOString(),
      GRANTS.message.sends,
      new Date(now.getTime() + GRANTS.message.validMs).toISOString(),
    ],
  };
}

export function claimedKeywords(rows: ClaimKeywordsRow[]): ClaimedKeyword[] {
  return rows.map((row) => ({
    inboundId: row.inbound_id,
    dedupeKey: row.dedupe_key,
    openid: row.openid,
    session:
      row.session_id === null
        ? undefined
        : row.status === 'active'
          ? { id: row.session_id, status: 'active', kfAccount: row.kf_account }
          : { id: row.session_id, status: 'waiting' },
    activeAgents: row.active_agents,
    alertOpenids: row.alert_openids,
  }));
}

export interface KeywordOutboxRow {
  kind: string;
  openid: string;
  priority: number;
  payload: unknown;
  /** Set for a queue update of a session opened by this batch: its id is added as `whileWaiting`. */
  newSessionOf?: string;
}

export interface KeywordDecisions {
  /** Followers to queue: a waiting session each, unless they have an open one by now. */
  open: string[];
  waitExpiresAt: Date;
  outbox: KeywordOutboxRow[];
  replies: { inboundId: number; reply: string }[];
}

export const APPLY_KEYWORDS = `
  with opened as (
    insert into customer_sessions (openid, status, queued_at, wait_expires_at)
    select openid, 'waiting', $2::timestamptz, $3::timestamptz from unnest($1::text[]) as t(openid)
    order by openid
    on conflict (openid) where status in ('waiting', 'active') do nothing
    returning id, openid
  ),
  queued as (
    insert into outbox (kind, openid, priority, payload)
    select o.kind, o.openid, o.priority,
      case when o.new_session_of is null then o.payload::jsonb
        else o.payload::jsonb || jsonb_build_object('whileWaiting', n.id) end
    from unnest($4::text[], $5::text[], $6::int[], $7::text[], $8::text[]) with ordinality as o(kind, openid, priority, payload, new_session_of, ord)
    left join opened as n on n.openid = o.new_session_of
    order by o.ord
  ),
  done as (
    update inbound_messages as m set state = 'done', reply = r.reply
    from unnest($9::int[], $10::text[]) as r(id, reply)
    where m.id = r.id
  ),
  missing as (
    select cardinality($1::text[]) - (select count(*) from opened)::int as n
  )
  select case when n > 0 then wekf_session_race_lost(n) end from missing`;

/**
 * Writes a batch's decisions. When another transaction opened a session for one of `open` after the
 * claim looked, the statement raises WK001 (isSessionRaceLost): the batch must roll back and be
 * decided again with that session in view.
 */
export function applyKeywordDecisions(d: KeywordDecisions, now: Date): Statement {
  return {
    text: APPLY_KEYWORDS,
    params: [
      d.open,
      now.toISOString(),
      d.waitExpiresAt.toISOString(),
      d.outbox.map((o) => o.kind),
      d.outbox.map((o) => o.openid),
      d.outbox.map((o) => o.priority),
      d.outbox.map((o) => JSON.stringify(o.payload)),
      d.outbox.map((o) => o.newSessionOf ?? null),
      d.replies.map((r) => r.inboundId),
      d.replies.map((r) => r.reply),
    ],
  };
}

/** The error APPLY_KEYWORDS raises when it lost a race to open a session (migration 0003). */
export function isSessionRaceLost(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'WK001';
}
