import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listAudit } from '@/db/queries/audit-log';
import { listUsers } from '@/db/queries/users';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { DomainError } from '@/lib/errors';
import { addStaff } from '@/lib/staff/users';
import { testDatabases } from './databases';

describe.each(testDatabases)('staff names on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let adminId: number;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, {});
    adminId = (await listUsers(database.db))[0]!.id;
  });
  afterAll(() => drop());

  it('a name with a right-to-left override is refused beside the name field and nothing is written', async () => {
    const adding = addStaff(database.db, { id: adminId }, {
      email: 'evil@x.test',
      name: 'evil\u202Etxt.exe',
      role: 'operator',
      password: 'evil-password-1',
    });
    await expect(adding).rejects.toThrow(DomainError);
    await expect(adding).rejects.toMatchObject({ code: 'form.unsafeCharacters', field: 'name', params: { codepoint: 'U+202E' } });
    expect((await listUsers(database.db)).map((u) => u.email)).not.toContain('evil@x.test');
    expect((await listAudit(database.db, { limit: 50 })).map((a) => a.target)).not.toContain('evil@x.test');
  });

  it('a name in another script is kept as typed', async () => {
    const user = await addStaff(database.db, { id: adminId }, {
      email: 'maryam@x.test',
      name: 'مريم 小王',
      role: 'operator',
      password: 'maryam-password-1',
    });
    expect(user.name).toBe('مريم 小王');
  });
});
