// Embedded Postgres (PGlite) in a folder of this process: the default when DATABASE_URL is unset.
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { DatabaseError, reasonOf, withTimeout, type DatabaseHandle, type Db, type PgliteClient, type PgliteStatements } from '../handle';
import * as schema from '../schema';
import { PglitePreparedStatements } from './pglite-prepared';
import { PgliteThread } from './pglite-thread';

// Postgres's default 128 MB of shared buffers lives inside PGlite's WASM memory and is never given
// back; one Official Account's working set fits in far less, and the files stay in the operating
// system's cache.
// PGlite's periodic ANALYZE (db/queries/maintenance.ts) holds PGlite while it samples. The default
// target samples 30,000 rows per table: 476 ms for an outbox of 71,000 rows, most of it the JSON
// payloads. A target of 10 samples 3,000 rows (52 ms), enough for the status, id and openid lookups
// wekf plans.
const POSTGRESQL_CONF = ['shared_buffers = 32MB', 'default_statistics_target = 10'];

/**
 * Embedded Postgres in a folder (or in memory when dir is undefined), with a lock against a second process.
 * `from` starts it from a dump of another database (PGlite's dumpDataDir) instead of an empty one: the
 * tests migrate one database per run and start each of theirs from its dump, which skips the initdb
 * that takes most of a fresh PGlite's two seconds.
 * `threadFile` (the bundled pglite-thread-worker.ts) runs it in a thread of its own (pglite-thread.ts),
 * as the production server does; without it PGlite runs in the caller's thread.
 */
export async function openPglite(dir: string | undefined, opts: { from?: Blob; threadFile?: string } = {}): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (dir !== undefined) {
    ensureWritableDir(dir);
    releaseLock = acquireFolderLock(path.join(dir, 'wekf.lock'), dir);
  }
  let pg: PgliteClient;
  let statements: PgliteStatements;
  let lost: Promise<string> | undefined;
  try {
    if (opts.threadFile !== undefined) {
      if (dir === undefined) throw new DatabaseError('PGlite in its own thread needs a folder');
      const from = opts.from && new Uint8Array(await opts.from.arrayBuffer());
      const thread = new PgliteThread(opts.threadFile, { dir, options: { postgresqlconf: POSTGRESQL_CONF }, from });
      // A thread that cannot start is ended before the error is passed on.
      await thread.start().catch(async (error: unknown) => {
        await thread.close().catch(() => {});
        throw error;
      });
      pg = thread;
      statements = thread.statements;
      lost = thread.stopped;
    } else {
      const options = { postgresqlconf: POSTGRESQL_CONF, loadDataDir: opts.from };
      const local = dir === undefined ? new PGlite(options) : new PGlite(dir, options);
      await local.waitReady;
      pg = local;
      statements = new PglitePreparedStatements(local);
    }
  } catch (error) {
    releaseLock();
    throw new DatabaseError(`cannot open the embedded database in ${dir ?? 'memory'}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  const db = drizzle(pg as PGlite, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    runsApart: opts.threadFile !== undefined,
    description: dir === undefined ? 'pglite (memory)' : `pglite (${dir}${opts.threadFile ? ', own thread' : ''})`,
    pglite: pg,
    pgliteStatements: statements,
    lost,
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
