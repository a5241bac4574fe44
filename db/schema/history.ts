import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { customerSessions } from './sessions';

/**
 * What happened to a session that its own columns cannot say later: an agent switch (kf_account
 * is overwritten), and corrections made by reconciliation (issue 16). Queued, accepted, closed,
 * expired and dropped are read from customer_sessions' timestamps, and the messages we sent from
 * the outbox, so the webhook's per-message path writes nothing here.
 */
export const sessionEvents = pgTable(
  'session_events',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer()
      .notNull()
      .references(() => customerSessions.id, { onDelete: 'cascade' }),
    /**
     * 'switched' (fromKfAccount → kfAccount), 'assigned' (by staff to kfAccount; detail.userId),
     * 'resumed' (a wait that had ended; detail says how), 'corrected' (reconciliation; detail says what).
     */
    kind: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    kfAccount: text(),
    fromKfAccount: text(),
    /** Small, kind-specific: for 'corrected', e.g. {field, from, to, source}. Never message content. */
    detail: jsonb(),
  },
  (t) => [
    index('session_events_session_idx').on(t.sessionId, t.at),
    // Metrics credit a session to the agent first switched away from (db/queries/metrics.ts).
    index('session_events_switched_at_idx').on(t.at).where(sql`${t.kind} = 'switched'`),
  ],
);

/**
 * The transcript pull's place in each of WeChat's 24-hour record windows (msgrecord/getmsglist):
 * the msgid to ask for next, and whether the window is finished (its end is past and fully read).
 */
export const transcriptSyncWindows = pgTable('transcript_sync_windows', {
  /** Unix seconds, a multiple of 86400. */
  windowStart: integer().primaryKey(),
  nextMsgid: integer().notNull().default(1),
  records: integer().notNull().default(0),
  completedAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The metrics page's daily rollup (db/queries/metrics.ts, job in lib/kf/metrics-rollup.ts): per day
 * of the service time zone and per agent who accepted, the counts and the wait and handling
 * histograms (db/queries/metrics-histogram.ts), so a 90-day range reads a few thousand rows instead
 * of every session. Days are rolled up once they are over and again when a session of theirs ends
 * later; today is always read live.
 */
export const metricsDaily = pgTable(
  'metrics_daily',
  {
    /** The service time zone the days are cut in; rows of another zone are dropped when it changes. */
    timezone: text().notNull(),
    day: date({ mode: 'string' }).notNull(),
    /** The agent who accepted (the first one switched away from, else the one holding it); '' when nobody did. */
    kfAccount: text().notNull(),
    sessions: integer().notNull(),
    served: integer().notNull(),
    expired: integer().notNull(),
    dropped: integer().notNull(),
    leftQueue: integer().notNull(),
    /** Sessions by the hour they were queued, 0 … 23. */
    byHour: integer().array().notNull(),
    waitBuckets: integer().array().notNull(),
    waitCounts: integer().array().notNull(),
    handleBuckets: integer().array().notNull(),
    handleCounts: integer().array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.timezone, t.day, t.kfAccount] })],
);

/** The days metrics_daily holds (with or without sessions), and when each was last rolled up. */
export const metricsRolledDays = pgTable(
  'metrics_rolled_days',
  {
    timezone: text().notNull(),
    day: date({ mode: 'string' }).notNull(),
    rolledAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.timezone, t.day] })],
);
