import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { outbox } from '../schema';

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

/**
 * Claim due rows for this dispatcher. SKIP LOCKED lets every instance dispatch without waiting on
 * the others; the lease (next_attempt_at moved forward) returns a row to the pool if this
 * instance dies mid-send.
 */
export async function claimDueOutbox(tx: DbOrTx, params: { limit: number; now: Date; leaseMs: number }): Promise<OutboxRow[]> {
  const now = params.now.toISOString();
  const leaseUntil = new Date(params.now.getTime() + params.leaseMs).toISOString();
  return tx
    .update(outbox)
    .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: sql`${leaseUntil}::timestamptz` })
    .where(
      sql`${outbox.id} in (
        select id from outbox
        where status in ('pending', 'sending') and next_attempt_at <= ${now}::timestamptz
        order by priority, id
        limit ${params.limit}
        for update skip locked)`,
    )
    .returning();
}

export async function markOutboxSent(tx: DbOrTx, params: { id: number; now: Date }): Promise<void> {
  await tx.update(outbox).set({ status: 'sent', sentAt: params.now, lastErrcode: null, lastError: null }).where(eq(outbox.id, params.id));
}

export async function rescheduleOutbox(
  tx: DbOrTx,
  params: { id: number; nextAttemptAt: Date; errcode: number | null; error: string },
): Promise<void> {
  await tx
    .update(outbox)
    .set({ status: 'pending', nextAttemptAt: params.nextAttemptAt, lastErrcode: params.errcode, lastError: params.error })
    .where(eq(outbox.id, params.id));
}

export async function finishOutbox(
  tx: DbOrTx,
  params: { id: number; status: 'failed' | 'skipped'; errcode: number | null; error: string },
): Promise<void> {
  await tx
    .update(outbox)
    .set({ status: params.status, lastErrcode: params.errcode, lastError: params.error })
    .where(eq(outbox.id, params.id));
}

export async function listOutboxFor(tx: DbOrTx, params: { openid: string }): Promise<OutboxRow[]> {
  return tx.select().from(outbox).where(eq(outbox.openid, params.openid)).orderBy(asc(outbox.id));
}

export async function countOutbox(tx: DbOrTx, params: { status?: OutboxRow['status'] } = {}): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(params.status ? and(eq(outbox.status, params.status)) : undefined);
  return row?.n ?? 0;
}
