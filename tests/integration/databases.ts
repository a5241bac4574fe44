// Integration tests run on embedded PGlite always, and on Postgres too when TEST_DATABASE_URL is set.
// Each suite gets a database of its own, migrated from scratch.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/engines/pglite';
import { openPostgres } from '@/db/engines/postgres';
import { migrateDatabase } from '@/db/migrate';

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  open(): Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }>;
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL;

export const testDatabases: TestDatabase[] = [
  {
    kind: 'pglite',
    async open() {
      const handle = await openPglite(undefined);
      await migrateDatabase(handle);
      return { handle, drop: () => handle.close() };
    },
  },
  ...(testDatabaseUrl
    ? [
        {
          kind: 'postgres' as const,
          async open() {
            const { url, dropDatabase } = await createScratchPostgres(testDatabaseUrl);
            const handle = await openPostgres(url, { max: 20 });
            await migrateDatabase(handle);
            return {
              handle,
              url,
              async drop() {
                await handle.close();
                await dropDatabase();
              },
            };
          },
        },
      ]
    : []),
];

/** A new empty database on the server of baseUrl, and a way to drop it. */
export async function createScratchPostgres(baseUrl: string): Promise<{ url: string; dropDatabase(): Promise<void> }> {
  const name = `wekf_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async dropDatabase() {
      const again = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
