import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { jobRuns } from '../schema';

export type JobRun = typeof jobRuns.$inferSelect;

export async function recordJobStart(tx: DbOrTx, params: { name: string; at: Date }): Promise<void> {
  await tx
    .insert(jobRuns)
    .values({ name: params.name, lastStartedAt: params.at })
    .onConflictDoUpdate({ target: jobRuns.name, set: { lastStartedAt: params.at } });
}

export async function recordJobSuccess(tx: DbOrTx, params: { name: string; at: Date; summary: unknown }): Promise<void> {
  await tx
    .update(jobRuns)
    .set({ lastFinishedAt: params.at, lastOkAt: params.at, lastError: null, lastSummary: params.summary ?? null, failures: 0 })
    .where(eq(jobRuns.name, params.name));
}

export async function recordJobFailure(tx: DbOrTx, params: { name: string; at: Date; error: string }): Promise<void> {
  await tx
    .update(jobRuns)
    .set({ lastFinishedAt: params.at, lastError: params.error, failures: sql`${jobRuns.failures} + 1` })
    .where(eq(jobRuns.name, params.name));
}

export async function findJobRun(tx: DbOrTx, params: { name: string }): Promise<JobRun | undefined> {
  const [row] = await tx.select().from(jobRuns).where(eq(jobRuns.name, params.name));
  return row;
}

export async function listJobRuns(tx: DbOrTx): Promise<JobRun[]> {
  return tx.select().from(jobRuns).orderBy(jobRuns.name);
}
