import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { getUserById, listUsers } from '@/db/queries/users';
import { listAudit } from '@/db/queries/audit-log';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authorizeCredentials } from '@/lib/auth/options';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { throttlePolicy } from '@/lib/auth/throttle';
import { PublicActionError } from '@/lib/errors';
import { changeOwnPassword } from '@/lib/auth/account';
import { addStaff, changeStaffRole, resetStaffPassword, setStaffDisabled } from '@/lib/staff/users';
import { testDatabases } from './databases';

describe('passwords', () => {
  it('hash with argon2id and verify only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'wrong horse')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});

describe.each(testDatabases)('staff accounts on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let adminId: number;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    const first = await ensureFirstAdmin(database.db, {});
    expect(first).toMatchObject({ created: true, email: 'admin@wekf.local' });
    if (!first.created) throw new Error('unreachable');
    expect(first.generatedPassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    const [admin] = await listUsers(database.db);
    adminId = admin!.id;
  });
  afterAll(() => drop());

  it('creates the first admin only once', async () => {
    expect(await ensureFirstAdmin(database.db, { email: 'other@x.test', password: 'password-123' })).toEqual({
      created: false,
    });
    expect((await listUsers(database.db)).map((u) => u.email)).toContain('admin@wekf.local');
  });

  it('signs in with the right password, case-insensitively by email', async () => {
    await addStaff(database.db, { id: adminId }, { email: 'Ann@x.test', name: 'Ann', role: 'operator', password: 'ann-password-1' });
    const user = await authorizeCredentials(database.db, { email: 'ann@X.test', password: 'ann-password-1' }, '10.0.0.1');
    expect(user).toMatchObject({ email: 'Ann@x.test', name: 'Ann' });
    expect(user).not.toHaveProperty('passwordHash');
  });

  it('refuses a second account with the same email in another case', async () => {
    await expect(
      addStaff(database.db, { id: adminId }, { email: 'ANN@x.test', name: 'Ann 2', role: 'operator', password: 'ann-password-2' }),
    ).rejects.toThrow(PublicActionError);
  });

  it('locks an account from an address after repeated failures there, and says for how long', async () => {
    await addStaff(database.db, { id: adminId }, { email: 'bob@x.test', name: 'Bob', role: 'operator', password: 'bob-password-1' });
    for (let i = 0; i < throttlePolicy.maxFailuresPerPair - 1; i++) {
      await expect(authorizeCredentials(database.db, { email: 'bob@x.test', password: 'nope' }, '10.1.0.1')).rejects.toThrow('invalid');
    }
    await expect(authorizeCredentials(database.db, { email: 'bob@x.test', password: 'nope' }, '10.1.0.1')).rejects.toThrow('throttled:15');
    // Even the right password is refused there while locked.
    await expect(authorizeCredentials(database.db, { email: 'bob@x.test', password: 'bob-password-1' }, '10.1.0.1')).rejects.toThrow(
      /^throttled:\d+$/,
    );
  });

  it('keeps at least one active admin and protects the acting admin', async () => {
    await expect(changeStaffRole(database.db, { id: adminId }, { userId: adminId, role: 'operator' })).rejects.toMatchObject({
      messageKey: 'error.self',
    });
    const carol = await addStaff(database.db, { id: adminId }, { email: 'carol@x.test', name: 'Carol', role: 'admin', password: 'carol-password' });
    // Carol demotes the original admin, then cannot demote herself: she is the last one.
    await changeStaffRole(database.db, { id: carol.id }, { userId: adminId, role: 'operator' });
    await expect(setStaffDisabled(database.db, { id: carol.id }, { userId: carol.id, disabled: true })).rejects.toMatchObject({
      messageKey: 'error.self',
    });
    await changeStaffRole(database.db, { id: carol.id }, { userId: adminId, role: 'admin' });
    expect((await getUserById(database.db, { id: adminId }))?.role).toBe('admin');
    // Audited as from → to, as settings changes are.
    const roleChanges = (await listAudit(database.db, { limit: 50 })).filter((row) => row.action === 'user.role').map((row) => row.detail);
    expect(roleChanges.slice(0, 2)).toEqual(['role=operator → admin', 'role=admin → operator']);
  });

  it('refuses a password that is the person’s email address, beside the password field, wherever it is set', async () => {
    const refused = { code: 'form.passwordNamesEmail' };
    await expect(addStaff(database.db, { id: adminId }, { email: 'erin.lead@x.test', name: 'Erin', role: 'operator', password: 'Erin.Lead2026!' })).rejects.toMatchObject({ ...refused, field: 'password' });
    const erin = await addStaff(database.db, { id: adminId }, { email: 'erin.lead@x.test', name: 'Erin', role: 'operator', password: 'erin-first-pass' });
    await expect(resetStaffPassword(database.db, { id: adminId }, { userId: erin.id, password: 'erin.lead@x.test' })).rejects.toMatchObject({ ...refused, field: 'password' });
    await expect(changeOwnPassword(database.db, erin, { currentPassword: 'erin-first-pass', newPassword: '0000erin.lead' })).rejects.toMatchObject({ ...refused, field: 'newPassword' });
    // Nothing was changed: the first password still signs in.
    expect(await authorizeCredentials(database.db, { email: 'erin.lead@x.test', password: 'erin-first-pass' }, null)).toMatchObject({ email: 'erin.lead@x.test' });
  });

  it('marks a password someone else chose until its owner changes it', async () => {
    const gil = await addStaff(database.db, { id: adminId }, { email: 'gil@x.test', name: 'Gil', role: 'operator', password: 'set-by-admin-7' });
    expect(gil.passwordSetByOther).toBe(true);
    await changeOwnPassword(database.db, gil, { currentPassword: 'set-by-admin-7', newPassword: 'only-gil-knows-3' });
    expect((await getUserById(database.db, { id: gil.id }))?.passwordSetByOther).toBe(false);
    await resetStaffPassword(database.db, { id: adminId }, { userId: gil.id, password: 'reset-by-admin-9' });
    expect((await getUserById(database.db, { id: gil.id }))?.passwordSetByOther).toBe(true);
    // The first admin's password, generated and printed, is marked too.
    const [admin] = await listUsers(database.db);
    expect(admin).toMatchObject({ email: 'admin@wekf.local', passwordSetByOther: true });
  });

  it('signs a user out everywhere when their password is reset or they are disabled', async () => {
    const dave = await addStaff(database.db, { id: adminId }, { email: 'dave@x.test', name: 'Dave', role: 'operator', password: 'dave-password' });
    await resetStaffPassword(database.db, { id: adminId }, { userId: dave.id, password: 'dave-new-password' });
    const afterReset = await getUserById(database.db, { id: dave.id });
    expect(afterReset!.sessionVersion).toBe(dave.sessionVersion + 1);
    await expect(authorizeCredentials(database.db, { email: 'dave@x.test', password: 'dave-password' }, null)).rejects.toThrow('invalid');
    await authorizeCredentials(database.db, { email: 'dave@x.test', password: 'dave-new-password' }, null);

    await setStaffDisabled(database.db, { id: adminId }, { userId: dave.id, disabled: true });
    await expect(authorizeCredentials(database.db, { email: 'dave@x.test', password: 'dave-new-password' }, null)).rejects.toThrow('invalid');
    const actions = (await listAudit(database.db, { limit: 50 })).filter((a) => a.target === 'dave@x.test').map((a) => a.action);
    // Staff changes and Dave's own sign-ins (refused with the old password and once disabled), newest first.
    expect(actions).toEqual(['auth.sign_in_failed', 'user.disable', 'auth.sign_in', 'auth.sign_in_failed', 'user.password_reset', 'user.add']);
  });
});
