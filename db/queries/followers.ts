import 'server-only';
import { and, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { customerSessions, followers } from '../schema';
import { isOpenSession } from './session-rules';

export type GrantTrigger = 'message' | 'event';

export const GRANTS = {
  message: { sends: 5, validMs: 48 * 3600_000 },
  event: { sends: 3, validMs: 60_000 },
} as const;

/**
 * The statement part that renews the message grant of every follower a batch claimed a push for,
 * for the batched paths (plain-message.ts, keyword-messages.ts): a CTE over a `claim` CTE with an
 * openid column. Followers are locked in openid order, so concurrent batches cannot deadlock.
 * The arguments are the statement's parameter references ($n).
 */
/** A whole message grant renewed less than this long ago is not rewritten by the batched paths. */
export const RENEW_SKIP_SECONDS = 10;

export function renewMessageGrantsCte(ref: { now: string; sends: string; expiresAt: string }): string {
  return `grant_window as (
    insert into followers (openid, subscribed, last_interaction_at, message_sends_left, message_grant_expires_at)
    select distinct openid, true, ${ref.now}::timestamptz, ${ref.sends}::int, ${ref.expiresAt}::timestamptz from claim
    order by openid
    on conflict (openid) do update set
      subscribed = true,
      last_interaction_at = excluded.last_interaction_at,
      message_sends_left = excluded.message_sends_left,
      message_grant_expires_at = excluded.message_grant_expires_at
    -- A follower chatting sends several messages a minute: while the grant is whole and was renewed
    -- under RENEW_SKIP_SECONDS ago, the row is left as it is (locked, not rewritten), which spares
    -- the hot path a row version per message. The stored expiry is then at most that much early (on
    -- the safe side of WeChat's window), and the Live page's "last message" at most that much old.
    where not followers.subscribed
      or followers.message_sends_left < excluded.message_sends_left
      or followers.message_grant_expires_at is null
      or followers.message_grant_expires_at < excluded.message_grant_expires_at - interval '${RENEW_SKIP_SECONDS} seconds'
  )`;
}

/** A follower's message, follow, scan or menu click resets that kind of grant (grants never add up). */
export async function recordInteraction(tx: DbOrTx, params: { openid: string; trigger: GrantTrigger; now: Date }): Promise<void> {
  const grant = GRANTS[params.trigger];
  const expiresAt = new Date(params.now.getTime() + grant.validMs);
  const values =
    params.trigger === 'message'
      ? { messageSendsLeft: grant.sends, messageGrantExpiresAt: expiresAt }
      : { eventSendsLeft: grant.sends, eventGrantExpiresAt: expiresAt };
  await tx
    .insert(followers)
    .values({ openid: params.openid, subscribed: true, lastInteractionAt: params.now, ...values })
    .onConflictDoUpdate({ target: followers.openid, set: { subscribed: true, lastInteractionAt: params.now, ...values } });
}

export async function recordUnsubscribe(tx: DbOrTx, params: { openid: string; now: Date }): Promise<void> {
  const closed = { subscribed: false, messageSendsLeft: 0, eventSendsLeft: 0, lastInteractionAt: params.now };
  await tx
    .insert(followers)
    .values({ openid: params.openid, ...closed })
    .onConflictDoUpdate({ target: followers.openid, set: closed });
}

export async function findFollower(tx: DbOrTx, params: { openid: string }) {
  const [row] = await tx.select().from(followers).where(eq(followers.openid, params.openid));
  return row;
}

/** The follower's remark as wekf last read or wrote it (the session page). */
export async function findFollowerRemark(tx: DbOrTx, params: { openid: string }): Promise<{ remark: string | null; remarkCheckedAt: Date | null } | undefined> {
  const [row] = await tx
    .select({ remark: followers.remark, remarkCheckedAt: followers.remarkCheckedAt })
    .from(followers)
    .where(eq(followers.openid, params.openid));
  return row;
}

/**
 * Followers whose remark the sync (lib/kf/follower-remark-sync.ts) should read from WeChat: never
 * read, or read before `staleBefore`. `open`: those with an open session (customer_sessions_status_
 * queued_id_idx, a handful of rows) or one that ended since `endedSince` (customer_sessions_ended_
 * at_idx: a session closed within a run must not wait for the week's read to name its follower),
 * never read first, then in queue order, so someone who just queued is named within a run.
 * `recent`: also those queued since `since` (customer_sessions_queued_id_idx), never read first,
 * then the longest unread.
 */
export async function listRemarkCandidates(
  db: DbOrTx,
  params: { scope: 'open' | 'recent'; since: Date; endedSince: Date; staleBefore: Date; limit: number },
): Promise<string[]> {
  const s = customerSessions;
  const due = or(isNull(followers.remarkCheckedAt), lt(followers.remarkCheckedAt, params.staleBefore));
  // Every session's follower has a row: the webhook writes it with the message that queued them.
  if (params.scope === 'open') {
    const rows = await db
      .select({ openid: followers.openid })
      .from(s)
      .innerJoin(followers, eq(followers.openid, s.openid))
      .where(and(or(isOpenSession(), gte(s.endedAt, params.endedSince)), due))
      .orderBy(sql`${followers.remarkCheckedAt} nulls first`, s.queuedAt, s.id)
      .limit(params.limit);
    return rows.map((r) => r.openid);
  }
  const recent = db
    .select({ openid: s.openid, lastQueuedAt: sql<Date>`max(${s.queuedAt})`.as('last_queued_at') })
    .from(s)
    .where(or(isOpenSession(), gte(s.queuedAt, params.since)))
    .groupBy(s.openid)
    .as('recent');
  const rows = await db
    .select({ openid: followers.openid })
    .from(recent)
    .innerJoin(followers, eq(followers.openid, recent.openid))
    .where(due)
    .orderBy(sql`${followers.remarkCheckedAt} nulls first`, desc(recent.lastQueuedAt))
    .limit(params.limit);
  return rows.map((r) => r.openid);
}

export interface FetchedRemark {
  openid: string;
  /** WeChat's remark ('' or null: none); undefined when WeChat did not say (the follower left), so ours stays. */
  remark: string | null | undefined;
}

export interface StoredRemark {
  openid: string;
  previous: string | null;
  remark: string | null;
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * Stores remarks read from (or written to) WeChat at `checkedAt`, and returns each follower's remark
 * before and after. A follower whose remark was stored from a later moment is skipped: a sync that
 * asked WeChat just before staff renamed someone must not put the old name back. One statement
 * however many: the list travels as one JSON parameter. Followers without a row are skipped too.
 */
export async function storeFollowerRemarks(tx: DbOrTx, params: { remarks: FetchedRemark[]; checkedAt: Date }): Promise<StoredRemark[]> {
  if (params.remarks.length === 0) return [];
  const values = JSON.stringify(params.remarks.map((r) => ({ openid: r.openid, remark: r.remark || null, known: r.remark !== undefined })));
  // `old` is the same row as the statement found it: the remark before this update.
  const result = await tx.execute(sql`
    update followers f
    set remark = case when v.known then v.remark else f.remark end, remark_checked_at = ${params.checkedAt.toISOString()}::timestamptz
    from jsonb_to_recordset(${values}::jsonb) as v(openid text, remark text, known boolean), followers old
    where f.openid = v.openid and old.openid = v.openid
      and (f.remark_checked_at is null or f.remark_checked_at <= ${params.checkedAt.toISOString()}::timestamptz)
    returning f.openid, old.remark as previous, f.remark as remark`);
  return rowsOf<StoredRemark>(result);
}
