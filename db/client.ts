// The process's database: Postgres (db/engines/postgres.ts) when DATABASE_URL is set, embedded PGlite
// (db/engines/pglite.ts) otherwise, migrated once at start (db/migrate.ts). One client per process,
// held on globalThis: server.ts and Next's bundle each load this module, and two PGlite instances on
// one folder would corrupt it.
import 'server-only';
import path from 'node:path';
import { openPglite } from './engines/pglite';
import { openPostgres } from './engines/postgres';
import { DatabaseError, reasonOf, type DatabaseHandle } from './handle';
import { migrateDatabase } from './migrate';

// The handle's types, for every query module and caller.
export type { DatabaseHandle, DatabaseKind, Db, DbOrTx, Schema, Tx } from './handle';
export { DatabaseError } from './handle';

interface OpenOptions {
  url?: string;
  dataDir: string;
  /** The bundled PGlite worker: PGlite then runs in a thread of its own (engines/pglite-thread.ts). */
  pgliteThreadFile?: string;
}

function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url) : openPglite(path.join(options.dataDir, 'pglite'), { threadFile: options.pgliteThreadFile });
}

interface ProcessDatabase {
  handle?: DatabaseHandle;
  opening?: Promise<DatabaseHandle>;
}

const holder = globalThis as typeof globalThis & { __wekfDatabase?: ProcessDatabase };
const processDatabase: ProcessDatabase = (holder.__wekfDatabase ??= {});

/** The process's database, opened (and migrated) once, shared by server.ts and Next's bundle. */
export function getDatabase(options?: OpenOptions): Promise<DatabaseHandle> {
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
