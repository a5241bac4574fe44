// Sign-in throttling per account and per IP, kept in the database so every instance agrees.
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { clearLoginFailures, getLoginLocks, recordLoginFailure } from '@/db/queries/login-attempts';

export const throttlePolicy = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 20,
};

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

/** Minutes until sign-in may be tried again, or 0 when it is allowed now. */
export async function minutesLocked(db: DbOrTx, params: { email: string; ip: string | null; now?: Date }): Promise<number> {
  const now = params.now ?? new Date();
  const keys = [accountKey(params.email), ...(params.ip ? [ipKey(params.ip)] : [])];
  const locks = await getLoginLocks(db, { keys });
  const until = Math.max(0, ...locks.map((l) => (l.lockedUntil ? l.lockedUntil.getTime() : 0)));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 60_000) : 0;
}

export async function noteFailedSignIn(db: DbOrTx, params: { email: string; ip: string | null; now?: Date }): Promise<void> {
  const now = params.now ?? new Date();
  const { windowMs, lockMs } = throttlePolicy;
  await recordLoginFailure(db, { key: accountKey(params.email), now, windowMs, lockMs, maxFailures: throttlePolicy.maxFailuresPerAccount });
  if (params.ip) {
    await recordLoginFailure(db, { key: ipKey(params.ip), now, windowMs, lockMs, maxFailures: throttlePolicy.maxFailuresPerIp });
  }
}

export async function noteSuccessfulSignIn(db: DbOrTx, params: { email: string }): Promise<void> {
  await clearLoginFailures(db, { key: accountKey(params.email) });
}
