// Hot-path statements run as raw SQL on the driver: Postgres plans a prepared statement once per
// connection, and no query builder runs per push. Everything else goes through drizzle.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type postgres from 'postgres';
import type { DatabaseHandle } from '../client';

/** Runs raw SQL, on the database or inside a transaction opened by withRawTransaction. */
export interface RawExecutor {
  query<T>(text: string, params: unknown[]): Promise<T[]>;
}

function onPostgres(sql: postgres.Sql | postgres.TransactionSql): RawExecutor {
  return { query: async <T>(text: string, params: unknown[]) => (await sql.unsafe(text, params as never[], { prepare: true })) as unknown as T[] };
}

function onPglite(pg: PGlite | Transaction): RawExecutor {
  return { query: async <T>(text: string, params: unknown[]) => (await pg.query<T>(text, params)).rows };
}

export function rawExecutor(database: DatabaseHandle): RawExecutor {
  return database.postgres ? onPostgres(database.postgres) : onPglite(database.pglite!);
}

/** One transaction on one connection; rolled back if fn throws. */
export async function withRawTransaction<T>(database: DatabaseHandle, fn: (tx: RawExecutor) => Promise<T>): Promise<T> {
  if (database.postgres) return (await database.postgres.begin((sql) => fn(onPostgres(sql)))) as T;
  return database.pglite!.transaction((tx) => fn(onPglite(tx)));
}
