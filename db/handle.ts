// What an open database is, whichever engine holds it: the Drizzle handle every query takes, the
// engine's own client for what Drizzle does not do (LISTEN, advisory locks, vacuum), and the one
// error type for a database problem.
import 'server-only';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type * as schema from './schema';

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
  /**
   * Whether the database works apart from this thread (a Postgres server, PGlite in its own thread):
   * then a statement sent while another runs waits there, ready, and this thread goes on meanwhile.
   * False for PGlite in this thread, where nothing else runs while a statement does.
   */
  runsApart: boolean;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /**
   * Present on PGlite in its own thread: settles with the reason if that thread stops by itself
   * (PGlite crashed); every statement fails from then on. Never settles after close(). Postgres has
   * none: postgres.js reconnects by itself.
   */
  lost?: Promise<string>;
  /** Present on Postgres: a dedicated connection for LISTEN or advisory locks. */
  postgres?: postgres.Sql;
  /** Present on PGlite: in this thread, or in a thread of its own (engines/pglite-thread.ts). */
  pglite?: PgliteClient;
  /** Present on PGlite: the hot path's statements, prepared once and each run in one trip (engines/pglite-prepared.ts). */
  pgliteStatements?: PgliteStatements;
}

/** What wekf uses of a PGlite, which PGlite in this thread and PgliteThread both are. */
export type PgliteClient = Pick<
  PGlite,
  | 'query'
  | 'exec'
  | 'transaction'
  | 'listen'
  | 'dumpDataDir'
  | 'close'
  | 'execProtocolStream'
  | 'syncToFs'
  | 'serializers'
  | 'parsers'
  | '_checkReady'
  | '_runExclusiveQuery'
  | '_runExclusiveTransaction'
>;

export interface Statement {
  text: string;
  params: unknown[];
}

/** Raw SQL on PGlite as named prepared statements: parsed once, each call one trip into Postgres. */
export interface PgliteStatements {
  query<T>(text: string, params: unknown[]): Promise<T[]>;
  /** In one transaction, in order, each seeing the work of those before; if one fails, none stays. Each one's rows. */
  transaction(statements: Statement[]): Promise<unknown[][]>;
}

/** A database problem worth one clear line: the message never contains a password. */
export class DatabaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
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

/** A ping's answer, or a DatabaseError once `ms` have passed without one. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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
