// The bench's database: a fresh Postgres database (dropped afterwards unless --keep) or a fresh
// PGlite folder; migrated with wekf's own migrations and seeded with active agents, so the keyword
// opens sessions. Also a small raw-SQL handle for the integrity checks and the analysis.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import type { DatabaseHandle } from '../db/client';
import { openPglite } from '../db/engines/pglite';
import { openPostgres, postgresConnection } from '../db/engines/postgres';
import { reasonOf } from '../db/handle';
import { migrateDatabase } from '../db/migrate';

export type DbKind = 'postgres' | 'pglite';

export interface BenchDatabase {
  kind: DbKind;
  /** Postgres: the bench database's URL (no password in it with trust auth). */
  url?: string;
  name?: string;
  /** PGlite: WEKF_DATA_DIR; the folder is <dataDir>/pglite. */
  dataDir: string;
  drop(): Promise<void>;
}

export interface RawDb {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface SeededAgent {
  kfAccount: string;
  kfOpenid: string;
}

/** A problem with the machine the bench runs on, said in one line: no stack trace helps there. */
export class BenchSetupError extends Error {}

/** One connection to the server's maintenance database, over its Unix socket when the URL names one. */
function adminClient(baseUrl: string) {
  const connection = postgresConnection(baseUrl);
  return postgres(connection.url, { max: 1, onnotice: () => {}, ...(connection.path ? { path: connection.path } : {}) });
}

export async function createBenchDatabase(kind: DbKind, opts: { baseUrl: string; dataDir: string }): Promise<BenchDatabase> {
  if (kind === 'pglite') return { kind, dataDir: opts.dataDir, drop: async () => {} };
  const name = `wekf_bench_${randomBytes(4).toString('hex')}`;
  const admin = adminClient(opts.baseUrl);
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    const server = new URL(opts.baseUrl);
    throw new BenchSetupError(
      `cannot create a database on Postgres at ${server.username}@${server.host}${server.pathname} ` +
        `(${reasonOf(error)}): start it, pass --database-url, or run with --db pglite`,
    );
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(opts.baseUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    name,
    url: url.toString(),
    dataDir: opts.dataDir,
    async drop() {
      const sql = adminClient(opts.baseUrl);
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

/** One connection, so begin … rollback around a statement works. */
export async function openRaw(db: BenchDatabase): Promise<RawDb> {
  const handle: DatabaseHandle = db.kind === 'postgres' ? await openPostgres(db.url!, { max: 1 }) : await openPglite(path.join(db.dataDir, 'pglite'));
  return {
    async query<T>(text: string, params: unknown[] = []) {
      if (handle.postgres) return (await handle.postgres.unsafe(text, params as never[])) as unknown as T[];
      return (await handle.pglite!.query<T>(text, params)).rows;
    },
    close: () => handle.close(),
  };
}

/** Migrate (wekf's own migrations, as the server would) and insert `count` active agents with an openid. */
export async function migrateAndSeed(db: BenchDatabase, count: number): Promise<SeededAgent[]> {
  const handle = db.kind === 'postgres' ? await openPostgres(db.url!, { max: 2 }) : await openPglite(path.join(db.dataDir, 'pglite'));
  try {
    await migrateDatabase(handle);
    const raw = (text: string, params: unknown[]) =>
      handle.postgres ? handle.postgres.unsafe(text, params as never[]) : handle.pglite!.query(text, params);
    const agents: SeededAgent[] = [];
    for (let n = 1; n <= count; n++) {
      const agent = { kfAccount: `bench${n}@wekf_sim`, kfOpenid: `o_bench_agent_${n}` };
      await raw(`insert into agents (kf_account, nickname, status, kf_openid) values ($1, $2, 'active', $3)`, [
        agent.kfAccount,
        `Bench agent ${n}`,
        agent.kfOpenid,
      ]);
      agents.push(agent);
    }
    return agents;
  } finally {
    await handle.close();
  }
}
