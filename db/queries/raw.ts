// Hot-path statements run as raw SQL on the driver: Postgres plans a prepared statement once per
// connection, and no query builder runs per push. Everything else goes through drizzle.
import type { DatabaseHandle } from '../client';

/** Runs raw SQL, on the database or inside a transaction opened by withRawTransaction. */
export interface RawExecutor {
  query<T>(text: string, params: unknown[]): Promise<T[]>;
}

export function rawExecutor(database: DatabaseHandle): RawExecutor {
  if (database.postgres) {
    const sql = database.postgres;
    return { query: async <T>(text: string, params: unknown[]) => (await sql.unsafe(text, params as never[], { prepare: true })) as unknown as T[] };
  }
  const pglite = database.pglite!;
  return { query: async <T>(text: string, params: unknown[]) => (await pglite.query<T>(text, params)).rows };
}

/** One transaction on one connection; rolled back if fn throws. */
export async function withRawTransaction<T>(database: DatabaseHandle, fn: (tx: RawExecutor) => Promise<T>): Promise<T> {
  if (database.postgres) {
    return (await database.postgres.begin(async (sql) =>
      fn({ query: async <R>(text: string, params: unknown[]) => (await sql.unsafe(text, params as never[], { prepare: true })) as unknown as R[] }),
    )) as T;
  }
  return database.pglite!.transaction(async (tx) => fn({ query: async <R>(text: string, params: unknown[]) => (await tx.query<R>(text, params)).rows }));
}
