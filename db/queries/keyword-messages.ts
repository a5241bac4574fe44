// The keyword path (「客服」) for a batch of pushes: two statements in one transaction, sent together
// with its BEGIN and COMMIT in one round trip (pipelinedTransaction, raw.ts). The first claims the
// pushes; the second, which sees the first's work, decides each push and writes what it decided:
// new waiting sessions, outbox rows and the stored replies. The webhook sends it only the keywords the
// ordinary statement deferred (plain-message.ts: no open session when it looked); it still decides
// every route below, since a session may have opened in between.
//
// Each claimed push is decided by lib/kf/routing.ts's table, row for row (the `route` column below
// uses its names; tests/integration/routing.test.ts holds this statement to the table):
//   session active                       → transfer_to_agent (the agent filled into replies.toAgent)
//   session waiting                      → requeue: their place in line again, and transfer
//   outside service hours                → off_hours (the caller passes the text only then)
//   no active agent                      → no_agents
//   otherwise                            → open: a new waiting session, their place in line, an alert
//                                          to every active agent with an openid, and transfer
// A second push from a follower whose first push in the same batch opened a session is decided as
// waiting (requeue), as the table says of a follower already in line.
import 'server-only';
import { GRANTS, renewMessageGrantsCte } from './followers';
import { KEYWORD_OUTBOX_KINDS } from './outbox';
import type { Statement } from './raw';
import { pushQueryParams, REFUSED_REPLAYS, replayGuardCtes, type PushQuery } from './replay-store';
import { replyAroundAgentSql } from './reply-around-agent';
import { expireWaitingSetSql, openSessionSql, waitExpiredSql } from './session-rules';

export interface KeywordPush {
  dedupeKey: string;
  openid: string;
  msgType: string;
  summary: string | null;
  /** The passive replies this push may get; the statement picks one. */
  replies: KeywordReplies;
  /** The push's signed query, checked against the replay store (replay-store.ts); absent: not checked. */
  query?: PushQuery;
}

export interface KeywordReplies {
  /** Transfer to customer service: routes requeue and open. */
  transfer: string;
  /** Route transfer_to_agent, around the agent's kf_account (lib/wechat's transferReplyAroundAgent). */
  toAgent: { before: string; after: string };
  /** Set only outside service hours: the off-hours text (route off_hours). */
  offHours: string | null;
  /** Route no_agents. */
  noAgents: string;
}

/** What the batch queues, the same for every follower: payloads get the session's id as whileWaiting. */
export interface KeywordOutbox {
  queuePayload: unknown;
  queuePriority: number;
  alertPayload: unknown;
  alertPriority: number;
  /** Whether a waiting follower's keyword re-sends their place in line (a console setting; default yes). */
  repeatPosition?: boolean;
}

// Pushes are claimed in dedupe-key order and followers locked in openid order, as the plain path
// does, so concurrent batches take locks in the same order. A waiting session past its expiry is
// expired here, so the next statement (and every read) agrees with the sweep. Its rows are the
// pushes refused as replays (replay-store.ts), which it does not claim.
const CLAIM_KEYWORDS = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $8::text[], $9::text[], $10::text[], $11::text[])
      as t(dedupe_key, openid, msg_type, summary, q_timestamp, q_nonce, q_signature, body_hash)
  ),
  ${replayGuardCtes()},
  claim as (
    insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, received_at)
    select dedupe_key, openid, msg_type, summary, 'processing', $5::timestamptz from admitted
    order by dedupe_key
    on conflict (dedupe_key) do nothing
    returning id, dedupe_key, openid
  ),
  ${renewMessageGrantsCte({ now: '$5', sends: '$6', expiresAt: '$7' })},
  expired as (
    update customer_sessions set ${expireWaitingSetSql('$5')}
    where openid = any($2::text[]) and ${waitExpiredSql('$5')}
  )
  ${REFUSED_REPLAYS}`;

// The pushes this transaction claimed are the ones still 'processing': another transaction's claims
// are invisible until they commit, and they commit 'done'. New sessions are inserted in openid
// order (lock order again). If another transaction opened a session for one of them after this
// statement's snapshot, the insert skips it and the statement raises WK001 (migration 0003), so the
// COMMIT behind it rolls the batch back and the caller decides it again.
const DECIDE_KEYWORDS = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) with ordinality
      as t(dedupe_key, openid, reply_transfer, reply_agent_before, reply_agent_after, reply_off_hours, reply_no_agents, ord)
  ),
  claimed as (
    select i.*, m.id as inbound_id, row_number() over (partition by i.openid order by i.ord) as nth
    from input as i join inbound_messages as m on m.dedupe_key = i.dedupe_key
    where m.state = 'processing'
  ),
  live as (
    select id, openid, status::text as status, kf_account from customer_sessions
    where openid = any($2::text[]) and ${openSessionSql()}
  ),
  decided as (
    select c.*, s.id as session_id, s.kf_account,
      case
        when s.status = 'active' then 'transfer_to_agent'
        when s.status = 'waiting' then 'requeue'
        when c.reply_off_hours is not null then 'off_hours'
        when not exists (select 1 from agents where status = 'active') then 'no_agents'
        when c.nth = 1 then 'open'
        else 'requeue'
      end as route
    from claimed as c left join live as s on s.openid = c.openid
  ),
  opened as (
    insert into customer_sessions (openid, status, queued_at, wait_expires_at)
    select openid, 'waiting', $8::timestamptz, $9::timestamptz from decided where route = 'open'
    order by openid
    on conflict (openid) where ${openSessionSql()} do nothing
    returning id, openid
  ),
  alerted as (
    select kf_openid, row_number() over (order by kf_account) as k
    from agents where status = 'active' and kf_openid is not null
  ),
  queued as (
    insert into outbox (kind, openid, priority, payload)
    select kind, openid, priority, payload from (
      select d.ord, 0 as k, '${KEYWORD_OUTBOX_KINDS.placeInLine}' as kind, d.openid, $11::int as priority,
        $10::jsonb || jsonb_build_object('whileWaiting', coalesce(d.session_id, o.id)) as payload
      from decided as d left join opened as o on o.openid = d.openid
      where d.route = 'open' or (d.route = 'requeue' and $14::boolean)
      union all
      select d.ord, a.k, '${KEYWORD_OUTBOX_KINDS.agentAlert}', a.kf_openid, $13::int, $12::jsonb || jsonb_build_object('whileWaiting', o.id)
      from decided as d join opened as o on o.openid = d.openid cross join alerted as a
      where d.route = 'open'
    ) as rows
    order by ord, k
  ),
  replied as (
    select inbound_id, dedupe_key, route,
      case
        -- An active session always names its agent; without one, a plain transfer is still right.
        when route = 'transfer_to_agent' and kf_account is not null then ${replyAroundAgentSql('reply_agent_before', 'kf_account', 'reply_agent_after')}
        when route = 'off_hours' then reply_off_hours
        when route = 'no_agents' then reply_no_agents
        else reply_transfer
      end as reply
    from decided
  ),
  done as (
    update inbound_messages as m set state = 'done', reply = r.reply
    from replied as r where m.id = r.inbound_id
  ),
  lost as (
    select (select count(*) from decided where route = 'open') - (select count(*) from opened) as n
  )
  select r.dedupe_key, r.reply, r.route, r.route in ('requeue', 'open') as queued,
    case when l.n > 0 then wekf_session_race_lost(l.n::int) end as race_lost
  from replied as r cross join lost as l`;

/** A push the batch claimed, with its route (lib/kf/routing.ts), its reply and whether it queued outbound messages. */
export interface DecidedKeyword {
  dedupe_key: string;
  reply: string;
  route: 'transfer_to_agent' | 'requeue' | 'off_hours' | 'no_agents' | 'open';
  queued: boolean;
}

/** The batch's two statements: the first's rows are the replays refused (dedupe_key), the second's are DecidedKeyword, one per push claimed. */
export function keywordStatements(
  pushes: KeywordPush[],
  opts: { now: Date; waitExpiresAt: Date; outbox: KeywordOutbox },
): [claim: Statement, decide: Statement] {
  const now = opts.now.toISOString();
  const claim = {
    text: CLAIM_KEYWORDS,
    params: [
      pushes.map((p) => p.dedupeKey),
      pushes.map((p) => p.openid),
      pushes.map((p) => p.msgType),
      pushes.map((p) => p.summary),
      now,
      GRANTS.message.sends,
      new Date(opts.now.getTime() + GRANTS.message.validMs).toISOString(),
      ...pushQueryParams(pushes),
    ],
  };
  const decide = {
    text: DECIDE_KEYWORDS,
    params: [
      pushes.map((p) => p.dedupeKey),
      pushes.map((p) => p.openid),
      pushes.map((p) => p.replies.transfer),
      pushes.map((p) => p.replies.toAgent.before),
      pushes.map((p) => p.replies.toAgent.after),
      pushes.map((p) => p.replies.offHours),
      pushes.map((p) => p.replies.noAgents),
      now,
      opts.waitExpiresAt.toISOString(),
      JSON.stringify(opts.outbox.queuePayload),
      opts.outbox.queuePriority,
      JSON.stringify(opts.outbox.alertPayload),
      opts.outbox.alertPriority,
      opts.outbox.repeatPosition ?? true,
    ],
  };
  return [claim, decide];
}

/** The error DECIDE_KEYWORDS raises when it lost a race to open a session (migration 0003). */
export function isSessionRaceLost(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'WK001';
}
