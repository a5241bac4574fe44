import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from '../client';
import { outbox } from '../schema';
import { rawExecutor } from './raw';
import { stillWaitingSql } from './session-rules';

/** The outbox kinds the keyword batch queues; the dispatcher recognises place-in-line updates by theirs. */
export const KEYWORD_OUTBOX_KINDS = { placeInLine: 'queue_position', agentAlert: 'agent_alert' } as const;

export type OutboxRow = typeof outbox.$inferSelect;
export interface NewOutboxRow {
  kind: string;
  openid: string;
  payload: unknown;
  priority: number;
}

export async function enqueueOutbox(tx: DbOrTx, rows: NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(outbox).values(rows);
}

/** A claimed row with what the dispatcher checks before sending it, read in the claim's statement. */
export interface ClaimedOutboxRow extends NewOutboxRow {
  id: number;
  /** Counting this claim. */
  attempts: number;
  /** null when wekf has no followers row for the openid (nothing known: no check applies). */
  subscribed: boolean | null;
  /** Sends both live grants still allow; null without a followers row. */
  sendsLeft: number | null;
  /** Whether either of WeChat's windows is open for the follower at all (no sends left in an open one is another matter); null without a followers row. */
  windowOpen: boolean | null;
  /** For a payload with whileWaiting, while that session still waits: its place in line and the number waiting, as of this claim; null otherwise. */
  position: number | null;
  waitingCount: number | null;
  /** With a place: true when a recent online check (AGENT_ONLINE_KNOWN_MS) found no agent online. */
  noAgentOnline: boolean | null;
}

/**
 * How recent an online check must be for wekf to tell a follower no agent is online: the status is
 * refreshed with every agent sync (5 minutes by default) and while the console is open. Older, or
 * never checked (a fresh start), wekf does not know, and says only the place in line.
 */
export const AGENT_ONLINE_KNOWN_MS = 10 * 60_000;

/** How one claimed row ended; `released` hands back a row this claim never got to send. */
export type OutboxOutcome =
  | { id: number; outcome: 'sent'; at: Date }
  | { id: number; outcome: 'retry'; at: Date; errcode: number | null; error: string }
  | { id: number; outcome: 'failed' | 'skipped'; errcode: number | null; error: string }
  | { id: number; outcome: 'released'; at: Date; attempts: number };

// SKIP LOCKED lets every instance dispatch without waiting on the others; the lease (next_attempt_at
// moved forward) returns a row to the pool if this instance dies mid-send. The rows still to send are
// walked in claim order through outbox_due (migration 0011), which holds only those; the status test
// is there for a row another instance finished meanwhile (re-checked once the row is locked). The
// follower's budget and the session a queue update depends on are read in the same round trip,
// instead of once per row. whileWaiting is cast only when it looks like an id, so one odd payload
// cannot fail every claim.
export const CLAIM_DUE_OUTBOX = `
  with claimed as (
    update outbox set status = 'sending', attempts = attempts + 1, next_attempt_at = $2::timestamptz
    where id in (
      select o.id from outbox_due as d join outbox as o on o.id = d.outbox_id
      where o.status in ('pending', 'sending') and o.next_attempt_at <= $1::timestamptz
      order by d.priority, d.outbox_id
      limit $3
      for update of o skip locked)
    returning id, kind, openid, payload, priority, attempts,
      case when payload ->> 'whileWaiting' ~ '^[0-9]{1,9}$' then (payload ->> 'whileWaiting')::int end as session_id
  ),
  -- The waiting line, numbered only when a claimed row waits on a session: once per batch, so each
  -- place in line is the one its follower holds as it is sent.
  line as (
    select id, row_number() over (order by queued_at, id)::int as position
    from customer_sessions
    where ${stillWaitingSql('$1')}
      and exists (select 1 from claimed where session_id is not null)
  ),
  placed as materialized (
    select id, position from line where id in (select session_id from claimed)
  )
  select c.id, c.kind, c.openid, c.payload, c.priority, c.attempts,
    f.subscribed,
    case when f.openid is not null then
      (case when f.message_grant_expires_at > $1::timestamptz then f.message_sends_left else 0 end)
      + (case when f.event_grant_expires_at > $1::timestamptz then f.event_sends_left else 0 end)
    end as "sendsLeft",
    case when f.openid is not null then
      coalesce(f.message_grant_expires_at > $1::timestamptz, false) or coalesce(f.event_grant_expires_at > $1::timestamptz, false)
    end as "windowOpen",
    p.position,
    case when p.position is not null then (select count(*) from line)::int end as "waitingCount",
    case when p.position is not null then
      exists (select 1 from agents where status = 'active'
        and online_checked_at > $1::timestamptz - interval '${AGENT_ONLINE_KNOWN_MS / 1000} seconds')
      and not exists (select 1 from agents where status = 'active' and online)
    end as "noAgentOnline"
  from claimed c left join followers f on f.openid = c.openid left join placed p on p.id = c.session_id`;

/** Claim due rows for this dispatcher, in no particular order. */
export async function claimDueOutbox(
  database: DatabaseHandle,
  params: { limit: number; now: Date; leaseMs: number },
): Promise<ClaimedOutboxRow[]> {
  const leaseUntil = new Date(params.now.getTime() + params.leaseMs);
  const values = [params.now.toISOString(), leaseUntil.toISOString(), params.limit];
  return rawExecutor(database).query<ClaimedOutboxRow>(CLAIM_DUE_OUTBOX, values);
}

// One statement for a whole batch. A row already sent (by a second instance after an expired lease)
// is never moved back, and a release applies only while this claim still holds the row. The sends
// spent are counted from the rows this statement turned into sent, so writing the same outcomes
// twice spends nothing twice. Each follower spends from the grant that expires first, then from the
// other, as one send at a time would. Followers rows are locked in openid order so two instances
// writing back at once cannot deadlock. Times travel as text: drizzle swaps postgres.js's
// timestamptz[] serializer for one that cannot write a JS array.
// On Postgres the statement commits without waiting for its WAL to reach disk (synchronous_commit
// off, for this transaction only): the dispatcher writes back every few ms, and a flush per write
// competed with the webhook's commits. A crash of wekf loses nothing by it; a crash of Postgres itself
// can forget the last fraction of a second of outcomes, whose rows are then sent again after their
// lease (never lost). Not on PGlite: it has no WAL writer of its own, so an unflushed commit stays in
// the process's memory and a kill -9 of wekf forgets it (measured: 105 of 1,000 sent twice, not 13).
const recordOutboxOutcomesSql = (asyncCommit: boolean) => `
  with commit_mode as materialized (select ${asyncCommit ? `set_config('synchronous_commit', 'off', true)` : `null`}),
  done as (
    update outbox o set
      status = (case u.outcome when 'retry' then 'pending' when 'released' then 'pending' else u.outcome end)::outbox_status,
      sent_at = case when u.outcome = 'sent' then u.at::timestamptz else o.sent_at end,
      next_attempt_at = case when u.outcome in ('retry', 'released') then u.at::timestamptz else o.next_attempt_at end,
      attempts = case when u.outcome = 'released' then o.attempts - 1 else o.attempts end,
      last_errcode = case when u.outcome = 'released' then o.last_errcode else u.errcode end,
      last_error = case when u.outcome = 'released' then o.last_error else u.error end
    from unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[])
      as u(id, outcome, at, errcode, error, attempts), commit_mode
    where o.id = u.id and o.status <> 'sent'
      and (u.outcome <> 'released' or (o.status = 'sending' and o.attempts = u.attempts))
    returning o.openid, u.outcome
  ),
  spent as (
    select openid, count(*)::int as k from done where outcome = 'sent' group by openid
  ),
  locked as materialized (
    select f.openid from followers f join spent using (openid) order by f.openid for update of f
  )
  update followers f set (event_sends_left, message_sends_left) = (
    select f.event_sends_left - t.event_take, f.message_sends_left - t.message_take
    from (select
        case when f.event_grant_expires_at > $7::timestamptz then greatest(f.event_sends_left, 0) else 0 end as event_live,
        case when f.message_grant_expires_at > $7::timestamptz then greatest(f.message_sends_left, 0) else 0 end as message_live) a
      cross join lateral (select
        coalesce(a.message_live = 0 or f.event_grant_expires_at <= f.message_grant_expires_at, false) as event_first) o
      cross join lateral (select
        case when o.event_first then least(s.k, a.event_live)
          else least(s.k - least(s.k, a.message_live), a.event_live) end as event_take,
        case when o.event_first then least(s.k - least(s.k, a.event_live), a.message_live)
          else least(s.k, a.message_live) end as message_take) t)
  from spent s join locked using (openid)
  where f.openid = s.openid`;

const RECORD_OUTBOX_OUTCOMES = recordOutboxOutcomesSql(false);
const RECORD_OUTBOX_OUTCOMES_ASYNC = recordOutboxOutcomesSql(true);

/**
 * Write a batch's outcomes back and spend the sends of the rows that went out. `now` judges which
 * grants are live: the claim's time, at which the dispatcher read the budget.
 */
export async function recordOutboxOutcomes(database: DatabaseHandle, params: { outcomes: OutboxOutcome[]; now: Date }): Promise<void> {
  if (params.outcomes.length === 0) return;
  const ids: number[] = [];
  const outcomes: string[] = [];
  const ats: (string | null)[] = [];
  const errcodes: (number | null)[] = [];
  const errors: (string | null)[] = [];
  const attempts: (number | null)[] = [];
  for (const o of params.outcomes) {
    ids.push(o.id);
    outcomes.push(o.outcome);
    ats.push('at' in o ? o.at.toISOString() : null);
    errcodes.push('errcode' in o ? storableInt(o.errcode) : null);
    errors.push('error' in o ? storableText(o.error) : null);
    attempts.push('attempts' in o ? o.attempts : null);
  }
  const sql = database.kind === 'postgres' ? RECORD_OUTBOX_OUTCOMES_ASYNC : RECORD_OUTBOX_OUTCOMES;
  await rawExecutor(database).query(sql, [ids, outcomes, ats, errcodes, errors, attempts, params.now.toISOString()]);
}

// Postgres refuses a NUL in text and an integer beyond int4; either would fail the whole batch.
function storableInt(value: number | null): number | null {
  return value !== null && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? value : null;
}

function storableText(value: string): string {
  return value.replaceAll('\0', '');
}

export async function listOutboxFor(tx: DbOrTx, params: { openid: string }): Promise<OutboxRow[]> {
  return tx.select().from(outbox).where(eq(outbox.openid, params.openid)).orderBy(asc(outbox.id));
}
