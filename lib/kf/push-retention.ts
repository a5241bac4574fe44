// Retention of the push ledger (inbound_messages): every push WeChat sends is a row, kept so that a
// retry gets the reply of its first delivery. WeChat retries within seconds and nothing else reads
// the rows (the console shows sessions, events and transcripts, not pushes), so rows older than
// PUSH_RETENTION_DAYS are deleted, in slices small enough that a push never waits long behind one.
// PUSH_RETENTION_DAYS=0 keeps every push.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { deleteOldInboundSlice } from '@/db/queries/inbound-messages';
import { startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';

export const PUSH_RETENTION_JOB = 'push-retention';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PushRetentionOptions {
  database: DatabaseHandle;
  days: number;
  now?: Date;
  /** Rows a statement deletes at most: on PGlite every statement holds the webhook up while it runs. */
  sliceRows?: number;
  /**
   * Slices a run deletes at most; a backlog (a first run on an old table) drains over several runs.
   * On PGlite fewer: its upkeep's next vacuum (sweeps.ts) cleans what a run deleted while pushes
   * wait, about 70 ms for 100,000 rows.
   */
  maxSlices?: number;
}

/** Deletes pushes received more than `days` days ago; how many, and whether older ones remain for the next run. */
export async function forgetOldPushes(opts: PushRetentionOptions): Promise<{ deleted: number; before: string; backlog: boolean }> {
  const before = new Date((opts.now ?? new Date()).getTime() - opts.days * DAY_MS);
  const sliceRows = opts.sliceRows ?? 2000;
  const maxSlices = opts.maxSlices ?? (opts.database.kind === 'pglite' ? 50 : 250);
  let deleted = 0;
  for (let slice = 0; slice < maxSlices; slice++) {
    const result = await deleteOldInboundSlice(opts.database, { before, limit: sliceRows });
    deleted += result.deleted;
    if (!result.more) return { deleted, before: before.toISOString(), backlog: false };
    // Between slices, the webhook's batches go first.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { deleted, before: before.toISOString(), backlog: true };
}

/** Every 10 minutes, one instance at a time (job_runs records each run's count for /api/health). */
export function startPushRetention(database: () => DatabaseHandle, days: number, everyMs = 10 * 60_000): PeriodicJob | undefined {
  if (days === 0) return undefined;
  return startPeriodicJob(database, {
    name: PUSH_RETENTION_JOB,
    everyMs,
    firstMs: 60_000,
    retryFromMs: 60_000,
    run: () => forgetOldPushes({ database: database(), days }),
    summarize: (result) => result,
  });
}
