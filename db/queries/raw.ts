// Hot-path statements run as raw SQL on the driver, as named prepared statements (on PGlite through
// engines/pglite-prepared.ts): each is parsed once per connection, and no query builder runs per
// push. Everything else goes through drizzle.
import 'server-only';
import type postgres from 'postgres';
import type { DatabaseHandle } from '../client';
import type { Statement } from '../handle';

export type { Statement } from '../handle';

/** Runs raw SQL on the database, outside any transaction. */
export interface RawExecutor {
  query<T>(text: string, params: unknown[]): Promise<T[]>;
}

function onPostgres(sql: postgres.Sql): RawExecutor {
  return { query: async <T>(text: string, params: unknown[]) => (await query(sql, { text, params })) as unknown as T[] };
}

export function rawExecutor(database: DatabaseHandle): RawExecutor {
  // On PGlite, its prepared statements (in this thread or in PGlite's own) are the executor.
  return database.postgres ? onPostgres(database.postgres) : database.pgliteStatements!;
}

/**
 * Statements in one transaction, sent with its BEGIN and COMMIT in one round trip on Postgres.
 * Postgres runs them in order, each seeing the work of those before. If one fails, the rest fail
 * too and the COMMIT answers as a rollback: nothing of the transaction stays, and the first error is
 * what the caller sees. Returns each statement's rows. With `statementTimeoutMs` (Postgres), each
 * statement may run that long at most.
 */
export async function pipelinedTransaction(database: DatabaseHandle, statements: Statement[], opts: { statementTimeoutMs?: number } = {}): Promise<unknown[][]> {
  if (!database.postgres) return database.pgliteStatements!.transaction(statements);
  const connection = await database.postgres.reserve();
  // A statement that waits longer (on a lock, a stalled disk) is cancelled, and the transaction with it.
  const limit = opts.statementTimeoutMs === undefined ? [] : [connection.unsafe(`set local statement_timeout = ${Math.max(1, Math.ceil(opts.statementTimeoutMs))}`)];
  try {
    // postgres.js sends a query when it is first awaited, so the order of this array is the order
    // on the wire: BEGIN first, COMMIT last.
    const sent = await Promise.all([connection.unsafe('begin'), ...limit, ...statements.map((s) => query(connection, s)), connection.unsafe('commit')]);
    const commit = sent[sent.length - 1]!;
    // Postgres reports a COMMIT of a failed transaction as ROLLBACK rather than as an error.
    if (commit.command !== 'COMMIT') throw new Error(`transaction ended with ${commit.command}, not COMMIT`);
    return sent.slice(1 + limit.length, -1).map((rows) => [...rows]);
  } catch (error) {
    // Ends a transaction an error left open; harmless when there is none.
    await connection.unsafe('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

function query(sql: postgres.Sql, statement: Statement): postgres.PendingQuery<postgres.Row[]> {
  return sql.unsafe(statement.text, statement.params as never[], { prepare: true });
}

