import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { auditLog, users } from '../schema';

/** A settings save's values before and after, rendered by the audit page as a readable diff. */
export interface AuditChanges {
  before: unknown;
  after: unknown;
}

// The request an audit line belongs to: lib/actions.ts and sign-in run their work inside it, so every
// recordAudit below a console action knows the client's address without each use case passing it.
const auditContext = new AsyncLocalStorage<{ ip: string | null }>();

export function withAuditContext<T>(context: { ip: string | null }, fn: () => Promise<T>): Promise<T> {
  return auditContext.run(context, fn);
}

export async function recordAudit(
  db: DbOrTx,
  params: { userId: number | null; action: string; target?: string; detail?: string; changes?: AuditChanges; ip?: string | null },
): Promise<void> {
  const { ip, ...rest } = params;
  await db.insert(auditLog).values({ ...rest, ip: ip ?? auditContext.getStore()?.ip ?? null });
}

export async function listAudit(db: DbOrTx, params: { limit: number }) {
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      target: auditLog.target,
      detail: auditLog.detail,
      createdAt: auditLog.createdAt,
      userEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(params.limit);
}

/**
 * Where the previous page ended: the last row's time, to the microsecond as Postgres keeps it (a JS
 * Date would round it to milliseconds and skip rows), and its id, which breaks ties on time.
 */
export interface AuditCursor {
  at: string;
  id: number;
}

export interface AuditFilter {
  userId?: number;
  /** The action's family: `settings`, `user`, `auth`… */
  kind?: string;
  /** Instants: rows at or after `from`, before `until`. */
  from?: Date;
  until?: Date;
}

export type AuditRow = Awaited<ReturnType<typeof listAuditPage>>[number];

/**
 * One page, newest first, after `cursor`: a keyset page, so page 1,000 costs what page 1 does
 * (audit_log_created_at_id_idx, or the user / kind index when filtered).
 */
export async function listAuditPage(db: DbOrTx, params: AuditFilter & { limit: number; cursor?: AuditCursor }) {
  const where: SQL[] = [];
  if (params.userId !== undefined) where.push(eq(auditLog.userId, params.userId));
  if (params.kind !== undefined) where.push(eq(auditLog.kind, params.kind));
  if (params.from) where.push(gte(auditLog.createdAt, params.from));
  if (params.until) where.push(lt(auditLog.createdAt, params.until));
  if (params.cursor) {
    const at = sql`${params.cursor.at}::timestamptz`;
    where.push(sql`(${auditLog.createdAt}, ${auditLog.id}) < (${at}, ${params.cursor.id})`);
  }
  // The page is cut from audit_log alone, then joined to its people: joined first, the planner may
  // join the whole table before sorting it (bench/audit.ts measured seconds at a million rows).
  const page = db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      target: auditLog.target,
      detail: auditLog.detail,
      changes: auditLog.changes,
      ip: auditLog.ip,
      createdAt: auditLog.createdAt,
      cursorAt: sql<string>`to_char(${auditLog.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
      userId: auditLog.userId,
    })
    .from(auditLog)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(params.limit)
    .as('page');
  return db
    .select({
      id: page.id,
      action: page.action,
      target: page.target,
      detail: page.detail,
      changes: page.changes,
      ip: page.ip,
      createdAt: page.createdAt,
      cursorAt: page.cursorAt,
      userId: page.userId,
      userEmail: users.email,
      userName: users.name,
    })
    .from(page)
    .leftJoin(users, eq(users.id, page.userId))
    .orderBy(desc(page.createdAt), desc(page.id));
}

/** For the benchmark and tests: how many rows the table holds (an estimate is not enough there). */
export async function countAudit(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return row?.n ?? 0;
}
