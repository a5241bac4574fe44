// Sign-in throttling, kept in the database so every instance agrees. Failures lock the pair
// (account, address) and, past a higher limit, an address trying many accounts; the account as a
// whole is only slowed, so nobody can lock its owner out from elsewhere. Every attempt is counted
// before its password is checked and the decision is taken on that count (increment, then decide):
// parallel guesses cannot slip past the limit together.
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { clearLoginFailures, countLoginAttempt, uncountLoginAttempt } from '@/db/queries/login-attempts';

export const throttlePolicy = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  /** Wrong passwords for one account from one address before that pair is locked. */
  maxFailuresPerPair: 5,
  /** Wrong passwords from one address, any accounts, before the address is locked. */
  maxFailuresPerAddress: 20,
  /** Failures on an account, from anywhere, before its sign-ins start to slow down. */
  freeFailuresPerAccount: 5,
  accountDelayBaseMs: 250,
  accountDelayMaxMs: 3_000,
};

// Password changes check the current password without a client address: they count as one pair.
const SELF = 'self';
const normalise = (email: string) => email.trim().toLowerCase();
export const throttleKeys = {
  pair: (email: string, ip: string | null) => `pair:${normalise(email)}|${ip ?? SELF}`,
  address: (ip: string) => `ip:${ip}`,
  account: (email: string) => `account:${normalise(email)}`,
};

/** The slow-down before checking a password, after `failures` recent failures on the account. */
export function accountDelayMs(failures: number): number {
  const { freeFailuresPerAccount, accountDelayBaseMs, accountDelayMaxMs } = throttlePolicy;
  if (failures <= freeFailuresPerAccount) return 0;
  const doublings = Math.min(failures - freeFailuresPerAccount - 1, 16);
  return Math.min(accountDelayMaxMs, accountDelayBaseMs * 2 ** doublings);
}

export interface SignInAttempt {
  /** Minutes until this pair or address may try again; 0: go ahead and check the password. */
  lockedMinutes: number;
  /** Wait this long before checking the password (the account is under attack from elsewhere). */
  delayMs: number;
  /** This attempt was the last one the pair may make: a wrong password now locks it. */
  lastBeforeLock: boolean;
}

/** Counts an attempt as a failure before its password is checked; a right password takes it back. */
export async function beginSignInAttempt(db: DbOrTx, params: { email: string; ip: string | null; now?: Date }): Promise<SignInAttempt> {
  const now = params.now ?? new Date();
  const { windowMs, lockMs } = throttlePolicy;
  const [pair, address, account] = await Promise.all([
    countLoginAttempt(db, { key: throttleKeys.pair(params.email, params.ip), now, windowMs, lockMs, maxFailures: throttlePolicy.maxFailuresPerPair }),
    params.ip
      ? countLoginAttempt(db, { key: throttleKeys.address(params.ip), now, windowMs, lockMs, maxFailures: throttlePolicy.maxFailuresPerAddress })
      : undefined,
    countLoginAttempt(db, { key: throttleKeys.account(params.email), now, windowMs, lockMs }),
  ]);
  const until = Math.max(0, ...[pair, address].map((row) => row?.lockedUntil?.getTime() ?? 0));
  return {
    // Capped: a parallel attempt whose clock read a moment later may have set the lock.
    lockedMinutes: until > now.getTime() ? Math.min(lockMinutes(), Math.ceil((until - now.getTime()) / 60_000)) : 0,
    // Failures before this attempt, which is counted already.
    delayMs: accountDelayMs(account.failures - 1),
    lastBeforeLock: pair.failures >= throttlePolicy.maxFailuresPerPair,
  };
}

/** The password was right: forget the pair's failures and take back this attempt's count elsewhere. */
export async function endSignInAttempt(db: DbOrTx, params: { email: string; ip: string | null }): Promise<void> {
  await clearLoginFailures(db, { key: throttleKeys.pair(params.email, params.ip) });
  await uncountLoginAttempt(db, {
    keys: [throttleKeys.account(params.email), ...(params.ip ? [throttleKeys.address(params.ip)] : [])],
  });
}

export function lockMinutes(): number {
  return Math.ceil(throttlePolicy.lockMs / 60_000);
}
