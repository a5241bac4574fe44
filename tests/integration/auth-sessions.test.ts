import type { JWT } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { getUserById, listUsers } from '@/db/queries/users';
import { changeOwnPassword } from '@/lib/auth/account';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authorizeCredentials } from '@/lib/auth/options';
import { checkSession, endSessionsOnSignOut, SessionEndedError, sessionToken } from '@/lib/auth/session-token';
import { addStaff, changeStaffRole, resetStaffPassword, setStaffDisabled } from '@/lib/staff/users';
import { testDatabases } from './databases';

const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases)('sessions on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let adminId: number;
  let n = 0;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, { email: 'boss@x.test', password: 'boss-password-1' });
    adminId = (await listUsers(database.db))[0]!.id;
  });
  afterAll(() => drop());

  /** A new staff member signed in through next-auth's path: authorize, then the jwt callback. */
  async function signedIn(now = new Date()) {
    const email = `s${++n}@x.test`;
    const password = `password-${n}-long`;
    const user = await addStaff(database.db, { id: adminId }, { email, name: `S${n}`, role: 'operator', password });
    const authorized = await authorizeCredentials(database.db, { email, password }, `10.9.0.${n}`);
    const token = await sessionToken(database.db, { token: { email } as JWT, user: authorized }, now);
    return { user, email, password, token };
  }

  /** What the session endpoint does on each visit: the jwt callback without a user. */
  function renew(token: JWT, now = new Date()) {
    return sessionToken(database.db, { token }, now).then(
      () => 'renewed',
      (error: unknown) => (error instanceof SessionEndedError ? error.reason : `unexpected: ${String(error)}`),
    );
  }

  it('renews a current sign-in and carries who, which version and when', async () => {
    const { user, token } = await signedIn();
    expect(token).toMatchObject({ uid: user.id, sv: user.sessionVersion });
    expect(Math.abs((token.sia as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(await renew(token)).toBe('renewed');
  });

  it('signing out ends every session of the user, and a revoked cookie cannot sign out its successors', async () => {
    const { user, email, password, token } = await signedIn();
    const otherBrowser = await sessionToken(database.db, { token: {}, user: await authorizeCredentials(database.db, { email, password }, null) });
    expect(await endSessionsOnSignOut(database.db, token)).toBe(true);
    expect(await renew(token)).toBe('revoked');
    expect(await renew(otherBrowser)).toBe('revoked');
    expect((await checkSession(database.db, token)).user).toBeNull();

    const fresh = await sessionToken(database.db, { token: {}, user: await authorizeCredentials(database.db, { email, password }, null) });
    expect(await endSessionsOnSignOut(database.db, token)).toBe(false);
    expect(await renew(fresh)).toBe('renewed');
    expect((await getUserById(database.db, { id: user.id }))!.sessionVersion).toBe(user.sessionVersion + 1);
  });

  it('a role change ends the sessions', async () => {
    const { user, token } = await signedIn();
    await changeStaffRole(database.db, { id: adminId }, { userId: user.id, role: 'admin' });
    expect(await renew(token)).toBe('revoked');
  });

  it('disabling ends the sessions', async () => {
    const { user, token } = await signedIn();
    await setStaffDisabled(database.db, { id: adminId }, { userId: user.id, disabled: true });
    expect(await renew(token)).toBe('disabled');
    expect((await checkSession(database.db, token)).user).toBeNull();
  });

  it('an admin resetting the password ends the sessions', async () => {
    const { user, token } = await signedIn();
    await resetStaffPassword(database.db, { id: adminId }, { userId: user.id, password: 'reset-password-1' });
    expect(await renew(token)).toBe('revoked');
  });

  it('changing my own password ends my sessions (the acting browser gets a new cookie)', async () => {
    const { user, password, token } = await signedIn();
    await changeOwnPassword(database.db, user, { currentPassword: password, newPassword: 'changed-password-1' });
    expect(await renew(token)).toBe('revoked');
  });

  it('stops renewing past the absolute lifetime (SESSION_MAX_DAYS, 7 by default), however active', async () => {
    const start = new Date();
    const { token } = await signedIn(start);
    expect(await renew(token, new Date(start.getTime() + 6.9 * DAY))).toBe('renewed');
    expect(await renew(token, new Date(start.getTime() + 7 * DAY + 60_000))).toBe('expired');
    expect((await checkSession(database.db, token, new Date(start.getTime() + 8 * DAY))).user).toBeNull();
    // A cookie from before sessions had a start time counts as expired.
    expect(await renew({ ...token, sia: undefined })).toBe('expired');
  });
});
