// Every Postgres advisory lock wekf takes, and its key: one list, so two jobs never share a key by
// accident. PGlite has a single process by construction, so there the work simply runs.
import 'server-only';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from './handle';

export const ADVISORY_LOCK = {
  /** Applying migrations: one instance at a time, the others wait (db/migrate.ts). */
  migrations: 7_365_001n,
  /** Staff administration, so two admins cannot demote each other into no admin at all (db/queries/users.ts). */
  userAdministration: 7_365_002n,
} as const;

/** Refreshing one appid's access_token (lib/wechat-account/database-token-store.ts): a stable 64-bit key. */
export function tokenRefreshLock(appId: string): bigint {
  return createHash('sha256').update(`wechat_token:${appId}`).digest().readBigInt64BE(0);
}

/**
 * Run fn while holding a session-level advisory lock, so one instance at a time does it. The lock
 * lives on one reserved connection (it must be released on the connection that took it).
 */
export async function withAdvisoryLock<T>(database: DatabaseHandle, key: bigint, fn: () => Promise<T>): Promise<T> {
  if (!database.postgres) return fn();
  const connection = await database.postgres.reserve();
  try {
    await connection`select pg_advisory_lock(${key.toString()})`;
    return await fn();
  } finally {
    await connection`select pg_advisory_unlock(${key.toString()})`.catch(() => {});
    connection.release();
  }
}

/** Hold a lock until the transaction ends (both engines run this; on PGlite it is free). */
export async function lockForTransaction(tx: DbOrTx, key: bigint): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(key.toString())})`);
}
