// Integration tests run on embedded PGlite always, and on Postgres too when TEST_DATABASE_URL is set.
// Each suite gets a database of its own: a copy of the one database migrated per run
// (tests/integration/template-databases.ts, vitest's globalSetup).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/engines/pglite';
import { openPostgres } from '@/db/engines/postgres';
import { tableNames } from '@/db/migrate';

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  /** For a suite's title: the kind, and for PGlite in its own thread, that. */
  label: string;
  open(): Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }>;
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL;

let pgliteTemplate: Blob | undefined;
/** The migrated PGlite's dump, read once per worker process. */
function pgliteTemplateDump(): Blob {
  return (pgliteTemplate ??= new Blob([fs.readFileSync(inject('pgliteTemplateFile'))]));
}

export const testDatabases: TestDatabase[] = [
  {
    kind: 'pglite',
    label: 'pglite',
    async open() {
      const handle = await openPglite(undefined, { from: pgliteTemplateDump() });
      return { handle, drop: () => handle.close() };
    },
  },
  ...(testDatabaseUrl
    ? [
        {
          kind: 'postgres' as const,
          label: 'postgres',
          async open() {
            const { url, dropDatabase } = await createScratchPostgres(testDatabaseUrl, { template: inject('postgresTemplate') });
            const handle = await openPostgres(url, { max: 20 });
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

/**
 * PGlite in a thread of its own (db/engines/pglite-thread.ts), as the production server runs it: a
 * folder of its own started from the migrated dump. Not in testDatabases, which every suite runs on:
 * the suites that exercise what crosses between the threads (statements, transactions, errors,
 * LISTEN) add it themselves.
 */
export const pgliteThreadDatabase: TestDatabase = {
  kind: 'pglite',
  label: 'pglite in its own thread',
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-test-pglite-thread-'));
    try {
      const handle = await openPglite(dir, { from: pgliteTemplateDump(), threadFile: inject('pgliteWorkerFile') });
      return {
        handle,
        async drop() {
          await handle.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  },
};

/** A new database on the server of baseUrl (empty, or a copy of `template`), and a way to drop it. */
export async function createScratchPostgres(baseUrl: string, opts: { template?: string } = {}): Promise<{ url: string; dropDatabase(): Promise<void> }> {
  const name = `wekf_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(opts.template ? `create database ${name} template ${opts.template}` : `create database ${name}`);
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

/**
 * For a file whose tests each want an empty database: one database for the whole file, emptied
 * (every table truncated, identities restarted) at each open instead of copied anew. What a copy
 * costs (0.7 s on PGlite) is most of a short test; truncating takes about 40 ms. A test that opens a
 * second database while the first is in use gets a copy of its own. Call close() in afterAll.
 */
export function emptiedForEachTest(testDb: TestDatabase): TestDatabase & { close(): Promise<void> } {
  let shared: Awaited<ReturnType<TestDatabase['open']>> | undefined;
  let inUse = false;
  return {
    kind: testDb.kind,
    label: testDb.label,
    async open() {
      if (inUse) return testDb.open();
      if (shared) await truncateAll(shared.handle);
      else shared = await testDb.open();
      inUse = true;
      return {
        handle: shared.handle,
        url: shared.url,
        async drop() {
          inUse = false;
        },
      };
    },
    async close() {
      await shared?.drop();
      shared = undefined;
    },
  };
}

/** Empties every table of the public schema, as the migrations leave them (they insert no rows). */
async function truncateAll(handle: DatabaseHandle): Promise<void> {
  const tables = await tableNames(handle.db);
  await handle.db.execute(sql.raw(`truncate ${tables.map((t) => `"${t}"`).join(', ')} restart identity cascade`));
}
