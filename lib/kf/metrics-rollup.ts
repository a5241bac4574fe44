// The metrics rollup job (issue 17): days that are over are summed into metrics_daily, one
// transaction per day, so /metrics over 90 days reads thousands of rows rather than a million
// sessions. A day is rolled again when one of its sessions ends later (a wait that crossed midnight,
// a reconciliation); the rollups of another time zone are dropped when the service time zone changes.
// The page never waits for this job: days it has not rolled are grouped live (db/queries/metrics.ts).
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { findJobRun } from '@/db/queries/job-runs';
import { daysToRollUp, dropOtherTimezones, LIVE_DAYS, rollUpDay } from '@/db/queries/metrics';
import { runJob, startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';
import { addDays } from '@/lib/service-hours/clock';
import { todayIn } from './metrics-view';
import { loadKfSettings } from './settings';

export const METRICS_ROLLUP_JOB = 'metrics-rollup';
export const METRICS_ROLLUP_EVERY_MS = 10 * 60_000;
/** Days rolled per run: the first run on a large history catches up over a few runs, not one long one. */
const DAYS_PER_RUN = 120;
/**
 * How far before the last run's end a session's end is looked for: a session ended (its ended_at
 * is its transaction's start) while that run read, and committed after, is still found.
 */
const ENDED_OVERLAP_MS = 10 * 60_000;

export interface RollupResult {
  timezone: string;
  rolled: number;
  /** Days of another time zone forgotten. */
  dropped: number;
}

export async function rollUpMetrics(opts: { database: DatabaseHandle; now?: () => Date }): Promise<RollupResult> {
  const { db } = opts.database;
  const now = opts.now?.() ?? new Date();
  const timezone = (await loadKfSettings(opts.database)).hours.timezone;
  const dropped = await dropOtherTimezones(db, timezone);
  const lastOk = (await findJobRun(db, { name: METRICS_ROLLUP_JOB }))?.lastOkAt ?? null;
  const days = await daysToRollUp(db, {
    timezone,
    lastDay: addDays(todayIn(timezone, now), -LIVE_DAYS),
    endedSince: lastOk && new Date(lastOk.getTime() - ENDED_OVERLAP_MS),
    limit: DAYS_PER_RUN,
  });
  for (const day of days) await db.transaction((tx) => rollUpDay(tx, { timezone, day }));
  return { timezone, rolled: days.length, dropped };
}

export function runMetricsRollup(database: DatabaseHandle, now?: () => Date) {
  return runJob(database, { name: METRICS_ROLLUP_JOB, run: () => rollUpMetrics({ database, now }), summarize: (r) => r, now });
}

/** The periodic rollup, started by lib/kf/runtime.ts (with or without a WeChat account). */
export function startMetricsRollup(database: () => DatabaseHandle, everyMs = METRICS_ROLLUP_EVERY_MS): PeriodicJob {
  return startPeriodicJob(database, {
    name: METRICS_ROLLUP_JOB,
    everyMs,
    firstMs: 20_000,
    retryFromMs: 60_000,
    run: () => rollUpMetrics({ database: database() }),
    summarize: (r) => r,
  });
}
