import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { loginAttempts } from '../schema';

export async function getLoginCounts(
  db: DbOrTx,
  params: { keys: string[] },
): Promise<{ key: string; failures: number; lockedUntil: Date | null }[]> {
  if (params.keys.length === 0) return [];
  return db
    .select({ key: loginAttempts.key, failures: loginAttempts.failures, lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(inArray(loginAttempts.key, params.keys));
}

/**
 * Count one attempt for key in a window that starts at its first failure, and say whether the key
 * is locked, in one upsert: concurrent attempts each see their own count, so twenty at once cannot
 * all pass a limit of five. The attempt that goes past maxFailures starts a lock of lockMs; a lock
 * is never extended by attempts made while it holds. Without maxFailures the key only counts.
 */
export async function countLoginAttempt(
  db: DbOrTx,
  params: { key: string; now: Date; windowMs: number; maxFailures?: number; lockMs: number },
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const lockUntil = new Date(params.now.getTime() + params.lockMs);
  // Raw SQL parameters carry no column type, so timestamps go in as ISO text with a cast.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const fresh = sql`${loginAttempts.windowStartedAt} < ${at(new Date(params.now.getTime() - params.windowMs))}`;
  const failures = sql`case when ${fresh} then 1 else ${loginAttempts.failures} + 1 end`;
  const unlocked = sql`(${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} <= ${at(params.now)})`;
  const lockedUntil =
    params.maxFailures === undefined
      ? loginAttempts.lockedUntil
      : sql`case when ${failures} > ${params.maxFailures} and ${unlocked} then ${at(lockUntil)} else ${loginAttempts.lockedUntil} end`;
  const [row] = await db
    .insert(loginAttempts)
    .values({ key: params.key, failures: 1, windowStartedAt: params.now, lockedUntil: params.maxFailures === 0 ? lockUntil : null })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${fresh} then ${at(params.now)} else ${loginAttempts.windowStartedAt} end`,
        lockedUntil,
      },
    })
    .returning({ failures: loginAttempts.failures, lockedUntil: loginAttempts.lockedUntil });
  return row!;
}

/** Takes back one counted attempt per key (it turned out to be the right password). */
export async function uncountLoginAttempt(db: DbOrTx, params: { keys: string[] }): Promise<void> {
  if (params.keys.length === 0) return;
  await db
    .update(loginAttempts)
    .set({ failures: sql`greatest(${loginAttempts.failures} - 1, 0)` })
    .where(inArray(loginAttempts.key, params.keys));
}

export async function clearLoginFailures(db: DbOrTx, params: { key: string }): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, params.key));
}
