import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What WeChat still lets us send each follower (rule since 2023-06): a message from them grants
 * 5 sends for 48 h; a follow, scan or menu click grants 3 for 1 minute. The two grants are kept
 * apart because a new trigger resets its own grant, not the other.
 *
 * And what staff call them: WeChat gives no nickname since 2021-12-27, only the remark staff set
 * (user/info, PROTOCOL.md §6.9), read back by lib/kf/follower-remark-sync.ts or set from the console.
 */
export const followers = pgTable(
  'followers',
  {
    openid: text().primaryKey(),
    subscribed: boolean().notNull().default(true),
    messageSendsLeft: integer().notNull().default(0),
    messageGrantExpiresAt: timestamp({ withTimezone: true }),
    eventSendsLeft: integer().notNull().default(0),
    eventGrantExpiresAt: timestamp({ withTimezone: true }),
    lastInteractionAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** WeChat's remark for this follower; null when there is none (or it was never fetched). */
    remark: text(),
    /** When the remark was last read from (or written to) WeChat; null: never. */
    remarkCheckedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The sessions filter's remark prefix (db/queries/session-history.ts): lower() for case, and
    // text_pattern_ops so LIKE 'prefix%' uses it under any collation. Only followers with a remark.
    index('followers_remark_prefix_idx')
      .using('btree', sql`lower(${t.remark}) text_pattern_ops`)
      .where(sql`${t.remark} is not null`),
  ],
);
