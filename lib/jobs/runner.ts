// Background jobs (agent sync, online status, reconciliation, transcript pull): each runs in one
// instance at a time under its own advisory lock, records its last run in `job_runs` for
// /api/health and the console, and never overlaps itself. The console's "run now" buttons go
// through the same runJob, so a button and the timer never run one job twice at once.
import 'server-only';
import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '@/db/client';
import { recordJobFailure, recordJobStart, recordJobSuccess } from '@/db/queries/job-runs';
import { errorText, log } from '@/lib/log';

const jobLog = log.child({ module: 'jobs' });

export type JobOutcome<T> = { ran: true; value: T } | { ran: false; reason: 'busy' };

export interface JobOptions<T> {
  /** Stable, also the `job_runs` key and the advisory lock's seed: 'agent-sync', 'online-status' … */
  name: string;
  run: () => Promise<T>;
  /** What to record of a successful run's value (counts, never content). */
  summarize?: (value: T) => unknown;
  now?: () => Date;
}

export function jobLockKey(name: string): bigint {
  return createHash('sha256').update(`wekf_job:${name}`).digest().readBigInt64BE(0);
}

// PGlite is one connection in one process, where a session advisory lock is re-entrant and so
// locks nothing: there the lock is this process's own, shared by server.ts and Next's bundle.
const RUNNING = Symbol.for('wekf.runningJobs');
const processJobs = ((globalThis as { [RUNNING]?: Set<string> })[RUNNING] ??= new Set<string>());

/**
 * Run the job now unless another run of it (here or in another instance) is under way: then
 * `{ran: false}` at once, and the caller reads that run's result from `job_runs` later. A failure
 * is recorded and rethrown.
 */
export async function runJob<T>(database: DatabaseHandle, opts: JobOptions<T>): Promise<JobOutcome<T>> {
  const release = await tryLock(database, opts.name);
  if (!release) return { ran: false, reason: 'busy' };
  const now = opts.now ?? (() => new Date());
  try {
    await recordJobStart(database.db, { name: opts.name, at: now() });
    let value: T;
    try {
      value = await opts.run();
    } catch (error) {
      await recordJobFailure(database.db, { name: opts.name, at: now(), error: errorText(error) }).catch(() => {});
      throw error;
    }
    await recordJobSuccess(database.db, { name: opts.name, at: now(), summary: opts.summarize?.(value) ?? null });
    return { ran: true, value };
  } finally {
    await release();
  }
}

async function tryLock(database: DatabaseHandle, name: string): Promise<(() => Promise<void>) | undefined> {
  if (!database.postgres) {
    if (processJobs.has(name)) return undefined;
    processJobs.add(name);
    return async () => void processJobs.delete(name);
  }
  const key = jobLockKey(name).toString();
  const connection = await database.postgres.reserve();
  try {
    const [row] = await connection<{ locked: boolean }[]>`select pg_try_advisory_lock(${key}) as locked`;
    if (!row?.locked) {
      connection.release();
      return undefined;
    }
  } catch (error) {
    connection.release();
    throw error;
  }
  return async () => {
    await connection`select pg_advisory_unlock(${key})`.catch(() => {});
    connection.release();
  };
}

export interface PeriodicJobOptions<T> extends JobOptions<T> {
  everyMs: number;
  /** The first run, after start; 0 runs at once. */
  firstMs?: number;
  /** After a failure, retry sooner: from this delay, doubling up to everyMs. */
  retryFromMs?: number;
  /**
   * Until this instance has run the job once, a round that finds another instance's run under way
   * tries again after this long instead of everyMs: a start that waits for its first run (the agent
   * sync) then runs right after the other's has ended rather than waiting out its deadline.
   */
  busyRetryUntilRunMs?: number;
}

export interface PeriodicJob {
  /** Run now (outside the schedule), as a "sync now" button does. */
  runNow(): Promise<void>;
  /** No more runs; resolves once a run under way has ended. */
  stop(): Promise<void>;
}

/** Run a job every `everyMs` (never overlapping itself), with a quicker retry after failures. */
export function startPeriodicJob<T>(database: () => DatabaseHandle, opts: PeriodicJobOptions<T>): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let retryMs = opts.retryFromMs;
  // Whether this instance has run the job itself (busyRetryUntilRunMs).
  let hasRun = false;

  const once = async () => {
    let failed = false;
    let busy = false;
    try {
      busy = !(await runJob(database(), opts)).ran;
    } catch (error) {
      failed = true;
      jobLog.warn({ job: opts.name, err: errorText(error) }, 'background job failed');
    }
    hasRun ||= !busy;
    if (stopped) return;
    let next = opts.everyMs;
    if (busy && !hasRun && opts.busyRetryUntilRunMs !== undefined) {
      next = Math.min(opts.busyRetryUntilRunMs, opts.everyMs);
    } else if (failed && retryMs !== undefined) {
      next = Math.min(retryMs, opts.everyMs);
      retryMs = Math.min(retryMs * 2, opts.everyMs);
    } else if (!failed) {
      retryMs = opts.retryFromMs;
    }
    schedule(next);
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      inFlight = once();
    }, ms);
    timer.unref();
  };
  schedule(opts.firstMs ?? opts.everyMs);

  return {
    runNow: async () => {
      await inFlight;
      inFlight = once();
      await inFlight;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
