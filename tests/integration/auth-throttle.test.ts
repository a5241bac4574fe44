import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { getLoginCounts } from '@/db/queries/login-attempts';
import { listUsers } from '@/db/queries/users';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authorizeCredentials } from '@/lib/auth/options';
import { verifyPassword } from '@/lib/auth/password';
import { accountDelayMs, beginSignInAttempt, throttleKeys, throttlePolicy } from '@/lib/auth/throttle';
import { addStaff } from '@/lib/staff/users';
import { testDatabases } from './databases';

// Counts how many attempts got as far as checking a password.
vi.mock('@/lib/auth/password', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/auth/password')>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'signed in',
    (error: Error) => error.message,
  );

describe.each(testDatabases)('sign-in throttling on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let adminId: number;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, { email: 'owner@x.test', password: 'owner-password-1' });
    adminId = (await listUsers(database.db))[0]!.id;
  });
  afterAll(() => drop());

  async function failures(key: string): Promise<number> {
    const [row] = await getLoginCounts(database.db, { keys: [key] });
    return row?.failures ?? 0;
  }

  it('counts 20 parallel wrong sign-ins as 20 and checks no more passwords than the limit', async () => {
    await addStaff(database.db, { id: adminId }, { email: 'race@x.test', name: 'Race', role: 'operator', password: 'race-password-1' });
    const ip = '10.20.0.1';
    vi.mocked(verifyPassword).mockClear();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => outcome(authorizeCredentials(database.db, { email: 'race@x.test', password: 'wrong' }, ip))),
    );
    expect(await failures(throttleKeys.pair('race@x.test', ip))).toBe(20);
    expect(await failures(throttleKeys.address(ip))).toBe(20);
    expect(vi.mocked(verifyPassword)).toHaveBeenCalledTimes(throttlePolicy.maxFailuresPerPair);
    expect(results.filter((r) => r === 'invalid')).toHaveLength(throttlePolicy.maxFailuresPerPair - 1);
    expect(results.filter((r) => r === 'throttled:15')).toHaveLength(20 - throttlePolicy.maxFailuresPerPair + 1);
  });

  it('locks the pair that guessed, not the owner signing in from another address', async () => {
    const attacker = '198.51.100.66';
    for (let i = 0; i < throttlePolicy.maxFailuresPerPair; i++) {
      await outcome(authorizeCredentials(database.db, { email: 'owner@x.test', password: `guess-${i}` }, attacker));
    }
    // The attacker's next try is refused without a password check, even with the right password.
    await expect(authorizeCredentials(database.db, { email: 'owner@x.test', password: 'owner-password-1' }, attacker)).rejects.toThrow(
      /^throttled:\d+$/,
    );
    const owner = await authorizeCredentials(database.db, { email: 'OWNER@x.test', password: 'owner-password-1' }, '203.0.113.10');
    expect(owner).toMatchObject({ email: 'owner@x.test' });
    // The owner's success keeps the attacker's failures on the account (only its own attempt is taken back).
    expect(await failures(throttleKeys.account('owner@x.test'))).toBe(throttlePolicy.maxFailuresPerPair + 1);
    expect(await failures(throttleKeys.pair('owner@x.test', '203.0.113.10'))).toBe(0);
  });

  it('slows the account progressively as failures come from many addresses, capped at a few seconds', async () => {
    const email = 'sprayed@x.test';
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      delays.push((await beginSignInAttempt(database.db, { email, ip: `10.30.${i}.1` })).delayMs);
    }
    const free = throttlePolicy.freeFailuresPerAccount;
    expect(delays.slice(0, free + 1)).toEqual(Array(free + 1).fill(0));
    for (let i = free + 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays[free + 1]).toBe(throttlePolicy.accountDelayBaseMs);
    expect(delays.at(-1)).toBe(throttlePolicy.accountDelayMaxMs);
    expect(throttlePolicy.accountDelayMaxMs).toBeLessThanOrEqual(5_000);
    expect(accountDelayMs(1_000_000)).toBe(throttlePolicy.accountDelayMaxMs);
    // Slowed, never locked: none of those 40 addresses is.
    expect((await beginSignInAttempt(database.db, { email, ip: '10.31.0.1' })).lockedMinutes).toBe(0);
  });

  it('locks an address that tries many accounts, and only that address', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < throttlePolicy.maxFailuresPerAddress; i++) {
      await outcome(authorizeCredentials(database.db, { email: `guess${i}@x.test`, password: 'wrong' }, ip));
    }
    expect((await beginSignInAttempt(database.db, { email: 'fresh@x.test', ip })).lockedMinutes).toBe(15);
    expect((await beginSignInAttempt(database.db, { email: 'fresh@x.test', ip: '192.0.2.78' })).lockedMinutes).toBe(0);
  });

  it('lets a lock lapse after its time', async () => {
    const later = new Date(Date.now() + throttlePolicy.lockMs + 1000);
    const attempt = await beginSignInAttempt(database.db, { email: 'race@x.test', ip: '10.20.0.1', now: later });
    expect(attempt.lockedMinutes).toBe(0);
  });
});
