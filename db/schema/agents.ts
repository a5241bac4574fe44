import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users';

// uninvited: created in WeChat, its worker not (yet) invited — kept with the reason when the invite failed.
export const agentStatus = pgEnum('agent_status', ['uninvited', 'invited', 'active', 'rejected', 'expired', 'removed']);

/**
 * A WeChat customer-service account (kf_account) and the staff member bound to it. WeChat owns the
 * account's fields (nickname, kf_id, avatar, kf_wx, invite state) and a sync overwrites them; wekf
 * owns kf_openid (where queue alerts go), which a sync never touches.
 */
export const agents = pgTable(
  'agents',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kfAccount: text().notNull(),
    nickname: text().notNull(),
    inviteWx: text(),
    kfWx: text(),
    kfId: text(),
    avatarUrl: text(),
    // The agent's own openid under this Official Account: where queue alerts are sent.
    kfOpenid: text(),
    /** How kf_openid was set: 'typed', 'qr', 'code' (null when unset). */
    kfOpenidSource: text(),
    status: agentStatus().notNull().default('invited'),
    inviteExpiresAt: timestamp({ withTimezone: true }),
    /**
     * The account was created in WeChat but inviting its worker failed: WeChat's errcode and why,
     * until a retry succeeds (the agent is kept, never half-saved silently).
     */
    inviteErrcode: integer(),
    inviteError: text(),
    /** From getonlinekflist: signed in to WeChat's customer-service tool now. */
    online: boolean().notNull().default(false),
    onlineCheckedAt: timestamp({ withTimezone: true }),
    /** The last sync that saw this account in WeChat's list; `removed` when one no longer does. */
    syncedAt: timestamp({ withTimezone: true }),
    removedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('agents_kf_account_key').on(t.kfAccount)],
);

/**
 * One-time ways for an agent to prove their openid (issue 15): a QR scene (`qr_scene`) or a 6-digit
 * code sent as 「绑定 123456」. Used once, valid 10 minutes.
 */
export const agentBindings = pgTable(
  'agent_bindings',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    agentId: integer()
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    kind: text({ enum: ['qr', 'code'] }).notNull(),
    /** The QR code's scene_str, or the 6-digit code. */
    secret: text().notNull(),
    /** For QR: the ticket to show the image (mp.weixin.qq.com/cgi-bin/showqrcode?ticket=…). */
    qrTicket: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    usedByOpenid: text(),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('agent_bindings_kind_secret_key').on(t.kind, t.secret), index('agent_bindings_agent_idx').on(t.agentId)],
);

/** Wrong binding codes per openid, for the lock-out after five in ten minutes. */
export const bindCodeFailures = pgTable(
  'bind_code_failures',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    openid: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bind_code_failures_openid_at_idx').on(t.openid, t.at)],
);
