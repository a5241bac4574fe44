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
