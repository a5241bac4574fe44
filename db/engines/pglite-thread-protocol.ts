// What the server's thread and PGlite's own thread (pglite-thread.ts, pglite-thread-worker.ts) say
// to each other. Types only: each side is its own bundle.
import type { PGliteOptions } from '@electric-sql/pglite';
import type { Statement } from '../handle';

export interface PgliteThreadData {
  dir: string;
  /** PGlite's options that are plain data (postgresqlconf): functions do not cross threads. */
  options: Pick<PGliteOptions, 'postgresqlconf'>;
  /** A dump (dumpDataDir) to start an empty folder from, as bytes. */
  from?: Uint8Array<ArrayBuffer>;
}

/** A call into PGlite's thread; `id` pairs it with its answer. */
export type PgliteThreadCall = { id: number } & (
  /** One trip into Postgres (PGlite's execProtocolStream): what drizzle's queries are made of. */
  | { op: 'stream'; message: Uint8Array; syncToFs: boolean }
  | { op: 'syncToFs' }
  /** A hot-path statement, prepared in PGlite's thread and run in one trip (pglite-prepared.ts). */
  | { op: 'query'; text: string; params: unknown[] }
  /** Hot-path statements in one transaction, in one call. */
  | { op: 'transaction'; statements: Statement[] }
  | { op: 'close' }
);

/** A database error as plain data: its message and Postgres's fields (code, constraint, detail, …). */
export interface PgliteThreadError {
  message: string;
  /** Set when it was Postgres's error (PGlite's DatabaseError), not the thread's own failure. */
  fields?: Record<string, unknown>;
}

export type PgliteThreadAnswer =
  | { id: number; value: unknown }
  | { id: number; error: PgliteThreadError }
  /** A NOTIFY that Postgres delivered to PGlite's one connection. */
  | { notification: { channel: string; payload: string } }
  | { ready: true }
  | { failed: string };
