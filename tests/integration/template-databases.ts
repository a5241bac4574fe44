// vitest globalSetup (vitest.config.ts): migrates one database of each kind per run, before any test
// file starts; every suite's database is then a copy of it (tests/integration/databases.ts). A fresh
// PGlite spends about two seconds in initdb and Postgres a few hundred milliseconds migrating, and the
// suites open some three hundred databases in a run.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openPglite } from '@/db/engines/pglite';
import { openPostgres } from '@/db/engines/postgres';
import { migrateDatabase } from '@/db/migrate';
import { bundleServer } from '../../scripts/bundle-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file holding the migrated PGlite's dump (dumpDataDir, uncompressed). */
    pgliteTemplateFile: string;
    /** On the server of TEST_DATABASE_URL, the migrated database suites copy; '' without one. */
    postgresTemplate: string;
    /** PGlite's own thread, bundled as the production build bundles it (db/engines/pglite-thread-worker.ts). */
    pgliteWorkerFile: string;
  }
}

interface Templates {
  pgliteTemplateFile: string;
  postgresTemplate: string;
  pgliteWorkerFile: string;
  remove(): Promise<void>;
}

// vitest calls this once per project (vitest.config.ts has two) and once for the root, in one
// process: the first call makes the templates, the others share them, and the last teardown removes them.
const holder = globalThis as typeof globalThis & { __wekfTestTemplates?: { made: Promise<Templates>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder.__wekfTestTemplates ??= { made: createTemplates(), users: 0 });
  shared.users += 1;
  const templates = await shared.made;
  project.provide('pgliteTemplateFile', templates.pgliteTemplateFile);
  project.provide('postgresTemplate', templates.postgresTemplate);
  project.provide('pgliteWorkerFile', templates.pgliteWorkerFile);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    holder.__wekfTestTemplates = undefined;
    await templates.remove();
  };
}

async function createTemplates(): Promise<Templates> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-test-template-'));
  const pgliteTemplateFile = path.join(dir, 'pglite.tar');
  const pglite = await openPglite(undefined);
  try {
    await migrateDatabase(pglite);
    // Uncompressed: it loads about 0.1 s faster than gzip, and is read once per worker.
    const dump = await pglite.pglite!.dumpDataDir('none');
    fs.writeFileSync(pgliteTemplateFile, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pglite.close();
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  const postgresTemplate = baseUrl ? await createPostgresTemplate(baseUrl) : '';
  const pgliteWorkerFile = await bundlePgliteWorker();
  return {
    pgliteTemplateFile,
    postgresTemplate,
    pgliteWorkerFile,
    async remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(path.dirname(pgliteWorkerFile), { recursive: true, force: true });
      if (baseUrl && postgresTemplate) await adminQuery(baseUrl, `drop database if exists ${postgresTemplate} with (force)`);
    },
  };
}

/**
 * Inside the project, as the real bundle is, so its packages resolve from node_modules; removed by
 * the last teardown with the rest (the folder is made anew each run).
 */
async function bundlePgliteWorker(): Promise<string> {
  const outdir = path.join(process.cwd(), 'node_modules', '.cache', 'wekf-tests', `pglite-worker-${process.pid}`);
  await bundleServer(outdir, { only: 'pglite-worker' });
  return path.join(outdir, 'pglite-worker.mjs');
}

async function createPostgresTemplate(baseUrl: string): Promise<string> {
  const name = `wekf_tpl_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // Two connections: the migration holds its advisory lock on one and migrates on the other.
  const handle = await openPostgres(url.toString(), { max: 2 });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  // `create database … template` fails while anyone is connected to the template; refusing
  // connections keeps autovacuum and stray clients out of it.
  await adminQuery(baseUrl, `alter database ${name} allow_connections false`);
  return name;
}

async function adminQuery(baseUrl: string, query: string): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(query);
  } finally {
    await admin.end();
  }
}
