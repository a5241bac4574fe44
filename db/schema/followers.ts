import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What WeChat still lets us send each follower (rule since 2023-06): a message from them grants
 * 5 sends for 48 h; a follow, scan or menu click grants 3 for 1 minute. The two grants are kept
 * apart because a new trigger resets its own grant, not the other.
 */
export const followers = pgTable('followers', {
  openid: text().primaryKey(),
  subscribed: boolean().notNull().default(true),
  messageSendsLeft: integer().notNull().default(0),
  messageGrantExpiresAt: timestamp({ withTimezone: true }),
  eventSendsLeft: integer().notNull().default(0),
  eventGrantExpiresAt: timestamp({ withTimezone: true }),
  lastInteractionAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
