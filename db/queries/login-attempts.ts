import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { loginAttempts } from '../schema';

export async function getLoginLocks(db: DbOrTx, params: { keys: string[] }): Promise<{ key: string; lockedUntil: Date | null }[]> {
  if (params.keys.length === 0) return [];
  return db
    .select({ key: loginAttempts.key, lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(inArray(loginAttempts.key, params.keys));
}

/**
 * Count one failure for key in a sliding window, locking the key once it reaches maxFailures.
 * One upsert, so concurrent failures are all counted.
 */
export async function recordLoginFailure(
  db: DbOrTx,
  params: { key: string; now: Date; windowMs: number; maxFailures: number; lockMs: number },
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const lockUntil = new Date(params.now.getTime() + params.lockMs);
  // Raw SQL parameters carry no column type, so timestamps go in as ISO text with a cast.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const fresh = sql`${loginAttempts.windowStartedAt} < ${at(new Date(params.now.getTime() - params.windowMs))}`;
  const failures = sql`case when ${fresh} then 1 else ${loginAttempts.failures} + 1 end`;
  const [row] = await db
    .insert(loginAttempts)
    .values({ key: params.key, failures: 1, windowStartedAt: params.now, lockedUntil: params.maxFailures <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${fresh} then ${at(params.now)} else ${loginAttempts.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${params.maxFailures} then ${at(lockUntil)} else ${loginAttempts.lockedUntil} end`,
      },
    })
    .returning({ failures: loginAttempts.failures, lockedUntil: loginAttempts.lockedUntil });
  return row!;
}

export async function clearLoginFailures(db: DbOrTx, params: { key: string }): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, params.key));
}
