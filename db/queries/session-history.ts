// Session history (/sessions, its CSV export): the filtered list, newest queued first, paged by
// keyset on (queued_at, id) — never OFFSET, so page 2,000 costs what page 1 does — and a total that
// is only counted up to a cap. Indexes: customer_sessions_queued_id_idx, _agent_status_queued_idx,
// _status_queued_id_idx, _openid_idx (migration 0007), followers_remark_prefix_idx (0010).
import 'server-only';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agents, customerSessions, followers } from '../schema';

export const SESSION_PAGE_SIZE = 50;
export const COUNT_CAP = 10_000;
/**
 * Followers one remark prefix stands for at most: the list holds the sessions of the first this many
 * (by remark), and the page says when more matched. It bounds the filter's cost (that many
 * customer_sessions_openid_idx lookups) however common the prefix: a surname like 王 may name
 * thousands of followers, and finding one customer needs a few more characters anyway.
 */
export const REMARK_MATCH_CAP = 200;

/** The list's statuses in the console's words; `dropped` is the table's `abandoned`. */
export const HISTORY_STATUSES = ['waiting', 'active', 'closed', 'expired', 'dropped'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];
type StoredStatus = (typeof customerSessions.status.enumValues)[number];

export function storedStatus(status: HistoryStatus): StoredStatus {
  return status === 'dropped' ? 'abandoned' : status;
}

export function historyStatus(status: StoredStatus): HistoryStatus {
  return status === 'abandoned' ? 'dropped' : status;
}

export interface SessionFilter {
  /** Dates (YYYY-MM-DD) of queued time in the service time zone, both included. */
  from?: string;
  to?: string;
  agent?: string;
  status?: HistoryStatus;
  /** The follower's openid, exactly (links, bench/history.ts). */
  openid?: string;
  /** The console's follower box: their openid exactly, or the start of their remark in any case. */
  follower?: string;
  /** Waited (queued → accepted, or → ended, or → now) longer than this many minutes. */
  waitedOverMinutes?: number;
}

/**
 * Where a page ends: queued_at to the microsecond (as text, since a JS Date keeps milliseconds and
 * a cursor rounded down would skip rows queued in the same millisecond) and id.
 */
export interface SessionCursor {
  queuedAt: string;
  id: number;
}

export interface HistoryContext {
  filter: SessionFilter;
  timezone: string;
  now: Date;
}

const s = customerSessions;

/** The WHERE clause of exactly the filtered list: the page, its count and the export share it. */
export function filterConditions({ filter, timezone, now }: HistoryContext): SQL[] {
  const where: SQL[] = [];
  if (filter.from) where.push(gte(s.queuedAt, sql`(${filter.from}::date)::timestamp at time zone ${timezone}`));
  if (filter.to) where.push(lt(s.queuedAt, sql`(${filter.to}::date + 1)::timestamp at time zone ${timezone}`));
  if (filter.agent) where.push(eq(s.kfAccount, filter.agent));
  if (filter.status) where.push(eq(s.status, storedStatus(filter.status)));
  if (filter.openid) where.push(eq(s.openid, filter.openid));
  if (filter.follower) where.push(followerIs(filter.follower));
  if (filter.waitedOverMinutes !== undefined) {
    where.push(
      sql`coalesce(${s.startedAt}, ${s.endedAt}, ${now.toISOString()}::timestamptz) - ${s.queuedAt} > make_interval(mins => ${filter.waitedOverMinutes}::int)`,
    );
  }
  return where;
}

/**
 * `openid = any(array(…))`: the matching openids are found first (an InitPlan: the exact one, then a
 * prefix walk of followers_remark_prefix_idx in its own order, `using ~<~`, stopping at the cap), and
 * their sessions come from customer_sessions_openid_idx. Prefix rather than contains: an index serves
 * it on both engines without an extension, for one character as for ten (a trigram index, pg_trgm,
 * cannot serve the one- and two-character queries Chinese names mostly are), and staff type the start
 * of the name they gave.
 */
function followerIs(text: string): SQL {
  return sql`${s.openid} = any(array(select ${text}::text union all (${remarkPrefixMatches(text, REMARK_MATCH_CAP)})))`;
}

function remarkPrefixMatches(text: string, limit: number): SQL {
  const pattern = text.replace(/[\\%_]/g, '\\$&');
  return sql`select f.openid from ${followers} f where f.remark is not null and lower(f.remark) like lower(${pattern}) || '%'
    order by lower(f.remark) using ~<~, f.openid limit ${limit}`;
}

/** Whether more followers' remarks start with `text` than the filter takes (REMARK_MATCH_CAP). */
export async function remarkMatchesOverCap(db: DbOrTx, text: string): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(sql`(${remarkPrefixMatches(text, REMARK_MATCH_CAP + 1)}) as matched`);
  return Number(row?.n ?? 0) > REMARK_MATCH_CAP;
}

const historyColumns = {
  id: s.id,
  openid: s.openid,
  remark: followers.remark,
  status: s.status,
  kfAccount: s.kfAccount,
  agentNickname: agents.nickname,
  closedByKfAccount: s.closedByKfAccount,
  queuedAt: s.queuedAt,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
  endReason: s.endReason,
  // The agents before a switch, oldest first (a switch is rare, so this is a lookup per row of a page).
  cursorAt: sql<string>`to_char(${s.queuedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  switchedFrom: sql<string | null>`(select string_agg(e.from_kf_account, ',' order by e.at, e.id) from session_events e where e.session_id = ${s.id} and e.kind = 'switched')`,
  // The staff member who ended it from the console (closed or dropped), as named now; by primary key.
  endedByStaff: sql<string | null>`(select coalesce(nullif(u.name, ''), u.email) from users u where u.id = ${s.endedByUserId})`,
};

export type SessionHistoryRow = Omit<Awaited<ReturnType<typeof selectPage>>[number], 'status'> & { status: HistoryStatus };

function selectPage(db: DbOrTx, where: SQL | undefined, newestFirst: boolean, limit: number) {
  return db
    .select(historyColumns)
    .from(s)
    .leftJoin(agents, eq(agents.kfAccount, s.kfAccount))
    .leftJoin(followers, eq(followers.openid, s.openid))
    .where(where)
    .orderBy(...(newestFirst ? [desc(s.queuedAt), desc(s.id)] : [asc(s.queuedAt), asc(s.id)]))
    .limit(limit);
}

export interface SessionPage {
  rows: SessionHistoryRow[];
  /** The cursor for the next (older) page, when there is one. */
  older?: SessionCursor;
  /** The cursor for the previous (newer) page, when there is one. */
  newer?: SessionCursor;
}

/**
 * One page of the list. `after` walks to older sessions, `before` back to newer ones; the row
 * comparison (queued_at, id) < (…) makes equal timestamps page exactly once.
 */
export async function listSessionHistory(
  db: DbOrTx,
  params: HistoryContext & { after?: SessionCursor; before?: SessionCursor; limit?: number },
): Promise<SessionPage> {
  const limit = params.limit ?? SESSION_PAGE_SIZE;
  const where = filterConditions(params);
  if (params.before) {
    where.push(sql`(${s.queuedAt}, ${s.id}) > (${params.before.queuedAt}::timestamptz, ${params.before.id}::int)`);
    const rows = (await selectPage(db, and(...where), false, limit + 1)).map(withHistoryStatus);
    const more = rows.length > limit;
    const page = rows.slice(0, limit).reverse();
    return { rows: page, newer: more ? cursorOf(page[0]) : undefined, older: cursorOf(page.at(-1)) };
  }
  if (params.after) {
    where.push(sql`(${s.queuedAt}, ${s.id}) < (${params.after.queuedAt}::timestamptz, ${params.after.id}::int)`);
  }
  const rows = (await selectPage(db, and(...where), true, limit + 1)).map(withHistoryStatus);
  const page = rows.slice(0, limit);
  return {
    rows: page,
    older: rows.length > limit ? cursorOf(page.at(-1)) : undefined,
    newer: params.after ? cursorOf(page[0]) : undefined,
  };
}

function withHistoryStatus<T extends { status: StoredStatus }>(row: T): Omit<T, 'status'> & { status: HistoryStatus } {
  return { ...row, status: historyStatus(row.status) };
}

function cursorOf(row: { cursorAt: string; id: number } | undefined): SessionCursor | undefined {
  return row ? { queuedAt: row.cursorAt, id: row.id } : undefined;
}

/** A cursor as one URL value, `2026-03-01T08:00:00.123456Z~42`; undefined when malformed. */
export function encodeCursor(cursor: SessionCursor): string {
  return `${cursor.queuedAt}~${cursor.id}`;
}

export function decodeCursor(value: string | undefined): SessionCursor | undefined {
  const match = value ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)~(\d{1,10})$/.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!))) return undefined;
  const id = Number(match[2]);
  return id <= 2 ** 31 - 1 ? { queuedAt: match[1]!, id } : undefined;
}

/** How many sessions match, counted no further than `cap` (then "more than cap"). */
export async function countSessionHistory(db: DbOrTx, params: HistoryContext & { cap?: number }): Promise<{ count: number; capped: boolean }> {
  const cap = params.cap ?? COUNT_CAP;
  const inner = db
    .select({ one: sql`1` })
    .from(s)
    .where(and(...filterConditions(params)))
    .limit(cap + 1)
    .as('matched');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, cap), capped: n > cap };
}

/**
 * The filtered list in batches for the export: each call one keyset step, so a slow reader makes
 * the server wait instead of buffering the file.
 */
export async function* sessionHistoryBatches(db: DbOrTx, params: HistoryContext & { batchSize?: number }): AsyncGenerator<SessionHistoryRow[]> {
  let after: SessionCursor | undefined;
  for (;;) {
    const page = await listSessionHistory(db, { ...params, after, limit: params.batchSize ?? 1000 });
    if (page.rows.length > 0) yield page.rows;
    if (!page.older) return;
    after = page.older;
  }
}

/** Agents that appear in the filter's list: every agent wekf knows. */
export async function listAgentChoices(db: DbOrTx): Promise<{ kfAccount: string; nickname: string }[]> {
  return db.select({ kfAccount: agents.kfAccount, nickname: agents.nickname }).from(agents).orderBy(asc(agents.nickname), asc(agents.kfAccount));
}

/** Other sessions of the follower, newest first (customer_sessions_openid_idx). */
export async function listFollowerSessions(db: DbOrTx, params: { openid: string; exceptId: number; limit?: number }) {
  const rows = await db
    .select({ id: s.id, status: s.status, queuedAt: s.queuedAt, kfAccount: s.kfAccount, endedAt: s.endedAt })
    .from(s)
    .where(and(eq(s.openid, params.openid), sql`${s.id} <> ${params.exceptId}`))
    .orderBy(desc(s.queuedAt), desc(s.id))
    .limit(params.limit ?? 20);
  return rows.map(withHistoryStatus);
}
