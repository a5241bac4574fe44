import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The last run of each background job (agent sync, online status, reconciliation, transcript pull),
 * whichever instance ran it: what /api/health and the console show.
 */
export const jobRuns = pgTable('job_runs', {
  name: text().primaryKey(),
  lastStartedAt: timestamp({ withTimezone: true }),
  lastFinishedAt: timestamp({ withTimezone: true }),
  /** The end of the last run that succeeded. */
  lastOkAt: timestamp({ withTimezone: true }),
  /** The last run's error (errorText: a class and message, never a stack or a secret), null when it succeeded. */
  lastError: text(),
  /** What the last successful run did, small and job-specific (counts, not content). */
  lastSummary: jsonb(),
  /** Failures in a row since the last success. */
  failures: integer().notNull().default(0),
});
