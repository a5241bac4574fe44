import { pgEnum, pgTable, integer, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const agentStatus = pgEnum('agent_status', ['invited', 'active', 'rejected', 'expired', 'removed']);

/** A WeChat customer-service account (kf_account) and the staff member bound to it. */
export const agents = pgTable(
  'agents',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kfAccount: text().notNull(),
    nickname: text().notNull(),
    inviteWx: text(),
    kfWx: text(),
    kfId: text(),
    // The agent's own openid under this Official Account: where queue alerts are sent.
    kfOpenid: text(),
    status: agentStatus().notNull().default('invited'),
    inviteExpiresAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('agents_kf_account_key').on(t.kfAccount)],
);
