import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['admin', 'operator']);

export const users = pgTable(
  'users',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: userRole().notNull().default('operator'),
    // Bumped on password reset, role change and disable, so older sign-ins stop working at once.
    sessionVersion: integer().notNull().default(1),
    // The password was chosen by someone else (an admin adding or resetting it, or generated at the
    // first start): the console asks its owner to change it, until they do.
    passwordSetByOther: boolean().notNull().default(false),
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

/** Failed sign-ins per account and per IP, for throttling. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    key: text().primaryKey(),
    failures: integer().notNull().default(0),
    windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [index('login_attempts_locked_until_idx').on(t.lockedUntil)],
);

/**
 * Every console mutation and sign-in, append-only: no code path updates or deletes a row, and a
 * trigger (migration 0009) refuses both, so a compromised page cannot cover its tracks.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    // The action's family (`settings` of `settings.hours`), for the audit page's kind filter.
    kind: text().generatedAlwaysAs(sql`split_part(action, '.', 1)`),
    target: text(),
    detail: text(),
    /** Before → after of a settings save (`{ before, after }`), shown as a readable diff. */
    changes: jsonb(),
    /** The client address server.ts stamped on the request. */
    ip: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Ascending: read backwards they give ORDER BY created_at DESC, id DESC exactly (DESC means NULLS
    // FIRST; an index built DESC NULLS LAST would not serve it, and the page would sort the table).
    index('audit_log_created_at_id_idx').on(t.createdAt, t.id),
    index('audit_log_user_created_at_idx').on(t.userId, t.createdAt, t.id),
    index('audit_log_kind_created_at_idx').on(t.kind, t.createdAt, t.id),
  ],
);
