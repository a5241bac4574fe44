import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const outboxStatus = pgEnum('outbox_status', ['pending', 'sending', 'sent', 'failed', 'skipped']);

/** Messages to send through WeChat's API, delivered by the dispatcher outside any webhook request. */
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
  (t) => [
    // The dispatcher's claim query walks rows still to send in (priority, id) order and stops at its
    // batch size, instead of sorting every pending row on each claim.
    index('outbox_claim_order_idx')
      .on(t.priority, t.id)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('outbox_openid_idx').on(t.openid, t.createdAt),
  ],
);

/** One access_token per appid, shared by every instance. */
export const wechatTokens = pgTable('wechat_tokens', {
  appId: text().primaryKey(),
  accessToken: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
