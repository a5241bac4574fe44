// The database: Postgres (postgres.js) when DATABASE_URL is set, embedded PGlite otherwise.
// One client per process, held on globalThis: server.ts and Next's bundle each load this module,
// and two PGlite instances on one folder would corrupt it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What every query function takes: the database or a transaction inside it. */
export type DbOrTx = Db | Tx;
export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** Where it lives, without credentials: safe to print. */
  description: string;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** Present on Postgres: a dedicated connection for LISTEN or advisory locks. */
  postgres?: postgres.Sql;
  pglite?: PGlite;
}

/** A database problem worth one clear line: the message never contains a password. */
export class DatabaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

/**
 * db/migrations: beside this module in source, two levels above it once bundled into the production
 * server (.next/wekf/server.mjs, scripts/bundle-server.mjs).
 */
function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '..', '..', 'db', 'migrations')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'meta', '_journal.json')));
  if (found === undefined) throw new DatabaseError(`cannot find the database migrations (looked in ${candidates.join(' and ')})`);
  return found;
}

export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<DatabaseHandle> {
  const description = describePostgresUrl(url);
  const client = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Db;
  const handle: DatabaseHandle = {
    db,
    kind: 'postgres',
    description,
    postgres: client,
    ping: (timeoutMs = 1000) => withTimeout(client`select 1`.then(() => undefined), timeoutMs),
    close: () => client.end({ timeout: 5 }),
  };
  try {
    await handle.ping(6000);
  } catch (error) {
    await client.end({ timeout: 0 }).catch(() => {});
    throw new DatabaseError(`cannot reach Postgres at ${description}: ${reasonOf(error)}`, { cause: error });
  }
  return handle;
}

/** Embedded Postgres in a folder (or in memory when dir is undefined), with a lock against a second process. */
export async function openPglite(dir: string | undefined): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (dir !== undefined) {
    ensureWritableDir(dir);
    releaseLock = acquireFolderLock(path.join(dir, 'wekf.lock'), dir);
  }
  let pg: PGlite;
  try {
    // Postgres's default 128 MB of shared buffers lives inside PGlite's WASM memory and is never
    // given back; one Official Account's working set fits in far less, and the files stay in the
    // operating system's cache.
    // PGlite runs in the server's own thread, so its periodic ANALYZE (db/queries/maintenance.ts)
    // stops every request while it samples. The default target samples 30,000 rows per table: 476 ms
    // for an outbox of 71,000 rows, most of it the JSON payloads. A target of 10 samples 3,000 rows
    // (52 ms), enough for the status, id and openid lookups wekf plans.
    const options = { postgresqlconf: ['shared_buffers = 32MB', 'default_statistics_target = 10'] };
    pg = dir === undefined ? new PGlite(options) : new PGlite(dir, options);
    await pg.waitReady;
  } catch (error) {
    releaseLock();
    throw new DatabaseError(`cannot open the embedded database in ${dir ?? 'memory'}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  const db = drizzlePglite(pg, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    description: dir === undefined ? 'pglite (memory)' : `pglite (${dir})`,
    pglite: pg,
    ping: (timeoutMs = 1000) => withTimeout(pg.query('select 1').then(() => undefined), timeoutMs),
    close: async () => {
      try {
        await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/** Apply pending migrations; on Postgres one instance at a time (advisory lock), the others wait. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: migrationsFolder() });
    return;
  }
  const reserved = await handle.postgres!.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(handle.db as never, { migrationsFolder: migrationsFolder() });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    reserved.release();
  }
}

const MIGRATION_LOCK_KEY = 7_365_001;

export async function openDatabase(options: { url?: string; dataDir: string }): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url) : openPglite(path.join(options.dataDir, 'pglite'));
}

interface ProcessDatabase {
  handle?: DatabaseHandle;
  opening?: Promise<DatabaseHandle>;
}

const holder = globalThis as typeof globalThis & { __wekfDatabase?: ProcessDatabase };
const processDatabase: ProcessDatabase = (holder.__wekfDatabase ??= {});

/** The process's database, opened (and migrated) once, shared by server.ts and Next's bundle. */
export function getDatabase(options?: { url?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (processDatabase.handle) return Promise.resolve(processDatabase.handle);
  if (!processDatabase.opening) {
    if (!options) throw new DatabaseError('the database has not been opened yet');
    processDatabase.opening = (async () => {
      const handle = await openDatabase(options);
      try {
        await migrateDatabase(handle);
      } catch (error) {
        await handle.close().catch(() => {});
        throw new DatabaseError(`migrations failed on ${handle.description}: ${reasonOf(error)}`, { cause: error });
      }
      processDatabase.handle = handle;
      return handle;
    })().catch((error: unknown) => {
      processDatabase.opening = undefined;
      throw error;
    });
  }
  return processDatabase.opening;
}

/** The open database for request code; throws if server start-up has not opened it. */
export function currentDatabase(): DatabaseHandle {
  if (!processDatabase.handle) throw new DatabaseError('the database is not open');
  return processDatabase.handle;
}

export async function closeDatabase(): Promise<void> {
  const handle = processDatabase.handle;
  processDatabase.handle = undefined;
  processDatabase.opening = undefined;
  await handle?.close();
}

export async function tableNames(db: Db): Promise<string[]> {
  const rows = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string }[] }).rows).map((r) => r.table_name);
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new DatabaseError(`cannot use the data folder ${dir}: ${reasonOf(error)}`, { cause: error });
  }
}

/** A pid file: a second wekf on the same PGlite folder stops with a message instead of corrupting it. */
function acquireFolderLock(lockPath: string, dir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DatabaseError(`cannot lock ${dir}: ${reasonOf(error)}`, { cause: error });
      }
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseError(
          `the embedded database in ${dir} is in use by another wekf process (pid ${owner}); stop it, or set DATABASE_URL to share a Postgres server`,
        );
      }
      // A lock left by a process that is gone (or by ourselves): take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseError(`cannot lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message.replace(/postgres(ql)?:\/\/[^\s]*/g, '[url]');
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DatabaseError(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
