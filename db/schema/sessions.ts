import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users';

export const sessionStatus = pgEnum('session_status', ['waiting', 'active', 'closed', 'expired', 'abandoned']);

/** Why a session ended (customer_sessions.end_reason); the rules around them are in db/queries/session-rules.ts. */
export const SESSION_END_REASON = {
  /** An agent closed it in WeChat's tool (kf_close_session). */
  agentClosed: 'agent_closed',
  /** The follower waited past the wait limit without an agent accepting. */
  waitExpired: 'wait_expired',
  /** Staff dropped the follower from the queue in the console (ended_by_user_id says who). */
  droppedByStaff: 'dropped_by_staff',
  /** Staff closed the session from the console through kfsession/close (ended_by_user_id says who). */
  closedByStaff: 'closed_by_staff',
  /** Reconciliation found WeChat no longer holds this session (a kf_close_session we never got). */
  closedInWechat: 'closed_in_wechat',
  /** The follower unfollowed the account while waiting (status abandoned): WeChat lets nobody message them now. */
  followerLeft: 'follower_left',
} as const;
export type SessionEndReason = (typeof SESSION_END_REASON)[keyof typeof SESSION_END_REASON];

export const customerSessions = pgTable(
  'customer_sessions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    openid: text().notNull(),
    status: sessionStatus().notNull().default('waiting'),
    kfAccount: text(),
    closedByKfAccount: text(),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    waitExpiresAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    endReason: text().$type<SessionEndReason>(),
    /** The staff member who ended it from the console (drop, close); null for WeChat's own events. */
    endedByUserId: integer().references(() => users.id, { onDelete: 'set null' }),
    /**
     * WeChat's time (CreateTime) of the latest accept, switch or close event applied to it. Those
     * pushes can arrive out of order; one older than this has been overtaken and changes nothing.
     */
    kfEventAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open session per follower, enforced by the database so concurrent keywords cannot race.
    uniqueIndex('customer_sessions_one_open_per_openid')
      .on(t.openid)
      .where(sql`${t.status} in ('waiting', 'active')`),
    index('customer_sessions_openid_idx').on(t.openid, t.queuedAt),
    // Session history (db/queries/session-history.ts): newest first by (queued_at, id), alone or
    // after an agent (and status), and the metrics' date range.
    index('customer_sessions_queued_id_idx').on(t.queuedAt, t.id),
    index('customer_sessions_agent_status_queued_idx').on(t.kfAccount, t.status, t.queuedAt, t.id),
    // Also queue positions: waiting sessions in arrival order.
    index('customer_sessions_status_queued_id_idx').on(t.status, t.queuedAt, t.id),
    // The live page's "served today" and "expired today" counters.
    index('customer_sessions_started_at_idx').on(t.startedAt),
    index('customer_sessions_ended_at_idx').on(t.endedAt),
  ],
);

/** Transcript lines pulled from WeChat's chat records (msgrecord/getmsglist). */
export const sessionMessages = pgTable(
  'session_messages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer().references(() => customerSessions.id, { onDelete: 'cascade' }),
    openid: text().notNull(),
    kfAccount: text(),
    // 2002 = agent sent, 2003 = agent received (WeChat's opercode).
    opercode: integer().notNull(),
    text: text().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull(),
    // WeChat's records carry no id of their own: the same line twice in one second is told apart by
    // its rank among identical records in the answer (lib/kf/transcripts.ts).
    occurrence: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('session_messages_session_idx').on(t.sessionId, t.sentAt),
    // md5 of the text: a long line would pass btree's entry size limit.
    uniqueIndex('session_messages_record_key').on(t.openid, t.sentAt, t.opercode, sql`md5(${t.text})`, t.occurrence),
    // The transcript export's date range.
    index('session_messages_sent_idx').on(t.sentAt),
  ],
);
