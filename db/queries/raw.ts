// Hot-path statements run as raw SQL on the driver: Postgres plans a prepared statement once per
// connection, and no query builder runs per push. Everything else goes through drizzle.
import type { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import type { DatabaseHandle } from '../client';

/** Runs raw SQL on the database, outside any transaction. */
export interface RawExecutor {
  query<T>(text: string, params: unknown[]): Promise<T[]>;
}

function onPostgres(sql: postgres.Sql): RawExecutor {
  return { query: async <T>(text: string, params: unknown[]) => (await query(sql, { text, params })) as unknown as T[] };
}

function onPglite(pg: PGlite): RawExecutor {
  return { query: async <T>(text: string, params: unknown[]) => (await pg.query<T>(text, params)).rows };
}

export function rawExecutor(database: DatabaseHandle): RawExecutor {
  return database.postgres ? onPostgres(database.postgres) : onPglite(database.pglite!);
}

export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * A transaction of two statements, in two round trips on Postgres: BEGIN travels with the first
 * statement and COMMIT with the second. `then` reads the first statement's rows and returns the
 * second, or null to commit after the first alone. Because COMMIT is already on its way, the only
 * way to abandon the transaction after the first statement is for the second one to raise: Postgres
 * then answers the COMMIT with a rollback, and the error is what the caller sees.
 */
export async function twoStepTransaction<A, B>(
  database: DatabaseHandle,
  first: Statement,
  then: (rows: A[]) => Statement | null,
): Promise<{ first: A[]; second: B[] }> {
  if (!database.postgres) {
    return database.pglite!.transaction(async (tx) => {
      const firstRows = (await tx.query<A>(first.text, first.params)).rows;
      const next = then(firstRows);
      return { first: firstRows, second: next ? (await tx.query<B>(next.text, next.params)).rows : [] };
    });
  }
  const connection = await database.postgres.reserve();
  try {
    // postgres.js sends a query when it is first awaited, so the order of this array is the order
    // on the wire: BEGIN first, COMMIT last.
    const [, firstRows] = await Promise.all([connection.unsafe('begin'), query(connection, first)]);
    const next = then(firstRows as unknown as A[]);
    const [secondRows, commit] = await Promise.all([next ? query(connection, next) : [], connection.unsafe('commit')]);
    // Postgres reports a COMMIT of a failed transaction as ROLLBACK rather than as an error.
    if (commit.command !== 'COMMIT') throw new Error(`transaction ended with ${commit.command}, not COMMIT`);
    return { first: firstRows as unknown as A[], second: secondRows as unknown as B[] };
  } catch (error) {
    // Ends a transaction the error left open (a failed first statement); harmless when there is none.
    await connection.unsafe('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

function query(sql: postgres.Sql, statement: Statement): postgres.PendingQuery<postgres.Row[]> {
  return sql.unsafe(statement.text, statement.params as never[], { prepare: true });
}

