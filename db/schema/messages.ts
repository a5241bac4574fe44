import { bigint, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const inboundState = pgEnum('inbound_state', ['processing', 'done']);

/**
 * Every push from WeChat, once, for PUSH_RETENTION_DAYS (lib/kf/push-retention.ts): the dedupe ledger
 * and the reply stored for retries. A follower's last interaction is on `followers`.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    // bigint: one row per push, so a busy account would pass integer's 2.1 billion within years.
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    dedupeKey: text().notNull(),
    openid: text().notNull(),
    msgType: text().notNull(),
    event: text(),
    summary: text(),
    state: inboundState().notNull().default('processing'),
    // The exact reply body sent for the first delivery, so a retry gets the same answer.
    reply: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Only the dedupe key is looked up: an index per push is work the webhook pays on every insert.
  (t) => [uniqueIndex('inbound_messages_dedupe_key').on(t.dedupeKey)],
);
