import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const inboundState = pgEnum('inbound_state', ['processing', 'done']);

/** Every push from WeChat, once: the dedupe ledger, the stored reply and each follower's last interaction. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
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
  (t) => [
    uniqueIndex('inbound_messages_dedupe_key').on(t.dedupeKey),
    index('inbound_messages_openid_received_idx').on(t.openid, t.receivedAt),
  ],
);
