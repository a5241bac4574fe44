import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listAudit } from '@/db/queries/audit-log';
import { getUserById, listUsers } from '@/db/queries/users';
import { changeOwnPassword, signOutOtherSessions } from '@/lib/auth/account';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authorizeCredentials } from '@/lib/auth/options';
import { throttlePolicy } from '@/lib/auth/throttle';
import { PublicActionError } from '@/lib/errors';
import { addStaff } from '@/lib/staff/users';
import { testDatabases } from './databases';

describe.each(testDatabases)('my account on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let adminId: number;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, { email: 'li.wei@example.cn', password: 'first-admin-password' });
    adminId = (await listUsers(database.db))[0]!.id;
  });
  afterAll(() => drop());

  it('names the first admin from the email, not "Admin"', async () => {
    expect((await getUserById(database.db, { id: adminId }))!.name).toBe('li.wei');
  });

  it('changes the password only with the current one, and signs out other sessions', async () => {
    const me = await addStaff(database.db, { id: adminId }, { email: 'erin@x.test', name: 'Erin', role: 'operator', password: 'erin-password-1' });
    const wrong = changeOwnPassword(database.db, me, { currentPassword: 'not-it', newPassword: 'erin-password-2' });
    await expect(wrong).rejects.toEqual(new PublicActionError('account.wrongPassword'));
    expect((await getUserById(database.db, { id: me.id }))!.sessionVersion).toBe(me.sessionVersion);

    const version = await changeOwnPassword(database.db, me, { currentPassword: 'erin-password-1', newPassword: 'erin-password-2' });
    expect(version).toBe(me.sessionVersion + 1);
    expect((await getUserById(database.db, { id: me.id }))!.sessionVersion).toBe(version);
    await expect(authorizeCredentials(database.db, { email: 'erin@x.test', password: 'erin-password-1' }, null)).rejects.toThrow('invalid');
    await authorizeCredentials(database.db, { email: 'erin@x.test', password: 'erin-password-2' }, null);

    expect(await signOutOtherSessions(database.db, me)).toBe(version + 1);
    const actions = (await listAudit(database.db, { limit: 50 })).filter((a) => a.target === 'erin@x.test').map((a) => a.action);
    // With Erin's sign-ins after the change: the old password refused, the new one accepted.
    expect(actions).toEqual(['account.sign_out_others', 'auth.sign_in', 'auth.sign_in_failed', 'account.password_change', 'account.password_change_refused', 'user.add']);
  });

  it('counts wrong current passwords like failed sign-ins, and then refuses to try', async () => {
    const me = await addStaff(database.db, { id: adminId }, { email: 'finn@x.test', name: 'Finn', role: 'operator', password: 'finn-password-1' });
    for (let i = 0; i < throttlePolicy.maxFailuresPerPair; i++) {
      await changeOwnPassword(database.db, me, { currentPassword: `guess-${i}`, newPassword: 'finn-password-2' }).catch(() => {});
    }
    const locked = changeOwnPassword(database.db, me, { currentPassword: 'finn-password-1', newPassword: 'finn-password-2' });
    await expect(locked).rejects.toEqual(new PublicActionError('account.throttled'));
    expect((await getUserById(database.db, { id: me.id }))!.sessionVersion).toBe(me.sessionVersion);
  });
});
