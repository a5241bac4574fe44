import 'server-only';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { ADVISORY_LOCK, lockForTransaction } from '../advisory-locks';
import type { DbOrTx } from '../client';
import { users } from '../schema';

export type UserRole = 'admin' | 'operator';

/** What pages and sessions may see of a user: never the password hash. */
const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  sessionVersion: users.sessionVersion,
  passwordSetByOther: users.passwordSetByOther,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

export type PublicUser = {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  sessionVersion: number;
  passwordSetByOther: boolean;
  disabledAt: Date | null;
  createdAt: Date;
};

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function listUsers(db: DbOrTx): Promise<PublicUser[]> {
  return db.select(publicUserColumns).from(users).orderBy(asc(users.createdAt), asc(users.id));
}

export async function getUserById(db: DbOrTx, params: { id: number }): Promise<PublicUser | undefined> {
  const [row] = await db.select(publicUserColumns).from(users).where(eq(users.id, params.id));
  return row;
}

/** For sign-in only: the one place a password hash is read. */
export async function getUserCredentialsByEmail(
  db: DbOrTx,
  params: { email: string },
): Promise<(PublicUser & { passwordHash: string }) | undefined> {
  const [row] = await db
    .select({ ...publicUserColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, params.email.toLowerCase()));
  return row;
}

export class DuplicateEmailError extends Error {
  readonly code = 'duplicate_email';
  constructor() {
    super('a user with this email already exists');
  }
}

export async function createUser(
  db: DbOrTx,
  params: { email: string; name: string; passwordHash: string; role: UserRole; passwordSetByOther?: boolean },
): Promise<PublicUser> {
  const rows = await db
    .insert(users)
    .values({ ...params, email: params.email.trim() })
    .onConflictDoNothing()
    .returning(publicUserColumns);
  const row = rows[0];
  if (!row) throw new DuplicateEmailError();
  return row;
}

/** Role changes, resets and disabling all bump sessionVersion, which signs the user out everywhere. */
export async function updateUser(
  db: DbOrTx,
  params: { id: number; role?: UserRole; passwordHash?: string; passwordSetByOther?: boolean; disabled?: boolean; name?: string },
): Promise<PublicUser | undefined> {
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (params.role !== undefined) changes.role = params.role;
  if (params.passwordHash !== undefined) changes.passwordHash = params.passwordHash;
  if (params.passwordSetByOther !== undefined) changes.passwordSetByOther = params.passwordSetByOther;
  if (params.name !== undefined) changes.name = params.name;
  if (params.disabled !== undefined) changes.disabledAt = params.disabled ? new Date() : null;
  const signsOut = params.role !== undefined || params.passwordHash !== undefined || params.disabled === true;
  const [row] = await db
    .update(users)
    .set({ ...changes, ...(signsOut ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
    .where(eq(users.id, params.id))
    .returning(publicUserColumns);
  return row;
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
  return row?.n ?? 0;
}

/** Serialises staff administration so two admins cannot demote each other into no admin at all. */
export async function lockUserAdministration(tx: DbOrTx): Promise<void> {
  await lockForTransaction(tx, ADVISORY_LOCK.userAdministration);
}

/**
 * Signs the user out of every browser (each keeps the sessionVersion it signed in with). With
 * fromVersion, only while that is still the current version: a cookie already revoked cannot end
 * the sessions that replaced it.
 */
export async function bumpSessionVersion(db: DbOrTx, params: { id: number; fromVersion?: number }): Promise<PublicUser | undefined> {
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(
      params.fromVersion === undefined
        ? eq(users.id, params.id)
        : and(eq(users.id, params.id), eq(users.sessionVersion, params.fromVersion)),
    )
    .returning(publicUserColumns);
  return row;
}
