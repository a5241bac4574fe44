import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
    /** 'switched' (fromKfAccount → kfAccount), 'corrected' (reconciliation; detail says what). */
    kind: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    kfAccount: text(),
    fromKfAccount: text(),
    /** Small, kind-specific: for 'corrected', e.g. {field, from, to, source}. Never message content. */
    detail: jsonb(),
  },
  (t) => [index('session_events_session_idx').on(t.sessionId, t.at)],
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
