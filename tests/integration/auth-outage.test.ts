import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listUsers } from '@/db/queries/users';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authorizeCredentials } from '@/lib/auth/options';
import { testDatabases } from './databases';

// Every log line written by any module, as pino would receive it.
const lines = vi.hoisted(() => [] as unknown[]);
vi.mock('@/lib/log', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/log')>();
  const record = (...args: unknown[]) => void lines.push(args);
  const logger = { child: () => logger, fatal: record, error: record, warn: record, info: record, debug: record, trace: record };
  return { ...original, log: logger };
});

describe.each(testDatabases)('sign-in during a database outage on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, { email: 'outage.owner@x.test', password: 'owner-password-1' });
    expect(await listUsers(database.db)).toHaveLength(1);
    await database.close();
  });
  // The handle is closed already; drop() still removes a scratch Postgres database.
  afterAll(() => drop().catch(() => {}));

  it('says sign-in is unavailable, and neither the answer nor the log carries SQL or the email', async () => {
    lines.length = 0;
    const error = await authorizeCredentials(database.db, { email: 'outage.owner@x.test', password: 'owner-password-1' }, '10.0.0.5').then(
      () => undefined,
      (e: Error) => e,
    );
    // next-auth puts this message into the error URL of the sign-in page.
    expect(error?.message).toBe('unavailable');
    const logged = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(logged).toContain('errorClass');
    expect(logged).not.toMatch(/outage\.owner|select|insert|login_attempts|params/i);
  });
});
