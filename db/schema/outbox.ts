import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const outboxStatus = pgEnum('outbox_status', ['pending', 'sending', 'sent', 'failed', 'skipped']);

/**
 * Messages to send through WeChat's API, delivered by the dispatcher outside any webhook request.
 * Every row is kept (it is the session's history); the ones still to send are listed in outbox_due.
 * No index names status or priority, so the dispatcher's two updates of a row (claimed, then sent)
 * are HOT updates that leave the indexes alone; its pages are filled to 70 % only (migration 0011),
 * so a row's next versions fit beside it.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kind: text().notNull(),
    openid: text().notNull(),
    payload: jsonb().notNull(),
    // Lower numbers are more valuable: when the follower's send budget is short they go first.
    priority: integer().notNull().default(5),
    status: outboxStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastErrcode: integer(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('outbox_openid_idx').on(t.openid, t.createdAt)],
);

/**
 * The outbox rows still to send (status pending or sending), in the order the dispatcher claims them:
 * kept by triggers on the outbox (migration 0011), so every writer of the outbox keeps it right.
 * It replaces a partial index on the outbox, whose predicate made every status change rewrite the
 * outbox's indexes; this table stays as small as the backlog.
 */
export const outboxDue = pgTable(
  'outbox_due',
  {
    priority: integer().notNull(),
    outboxId: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.priority, t.outboxId] })],
);

/** One access_token per appid, shared by every instance. */
export const wechatTokens = pgTable('wechat_tokens', {
  appId: text().primaryKey(),
  accessToken: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
