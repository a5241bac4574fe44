// Embedded Postgres (PGlite) in a thread of its own, for the production server.
//
// PGlite runs Postgres as WebAssembly in whichever thread calls it, and a statement runs there from
// start to end: in the server's thread, every request waited while any statement ran, and the server
// could use one core while the machine had two (under the webhook bench: 85 % of the server thread
// busy, over half of it inside PGlite, and a third of the machine idle). Here PGlite runs in a
// worker thread (pglite-thread-worker.ts, bundled by scripts/bundle-server.mjs) and this thread keeps
// reading requests and building the next batch meanwhile.
//
// PgliteThread is a PGlite to its callers: it extends PGlite's own base class, which builds query(),
// exec() and transaction() from one call per protocol step, and sends each step to the worker. The
// webhook's prepared statements (pglite-prepared.ts) run in the worker whole, one call each. The
// locks that keep one statement or transaction at a time are held here, where every call starts.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { messages, Mutex, PGlite, type Transaction } from '@electric-sql/pglite';
import { DatabaseError, type PgliteStatements, type Statement } from '../handle';
import type { PgliteThreadAnswer, PgliteThreadCall, PgliteThreadData, PgliteThreadError } from './pglite-thread-protocol';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];
type StreamOptions = Parameters<PGlite['execProtocolStream']>[1];
type CallOf<Op> = Op extends PgliteThreadCall['op'] ? Omit<Extract<PgliteThreadCall, { op: Op }>, 'id'> : never;

/** What PGlite's base class gives a subclass (the package exports it only as PGlite's parent). */
type PgliteBase = Pick<PGlite, 'query' | 'sql' | 'exec' | 'transaction' | 'serializers' | 'parsers' | 'refreshArrayTypes'> & {
  _initArrayTypes(opts?: { force?: boolean }): Promise<void>;
};
const BasePGlite = Object.getPrototypeOf(PGlite) as abstract new () => PgliteBase;

export class PgliteThread extends BasePGlite {
  readonly debug = 0 as const;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  readonly #queryLock = new Mutex();
  readonly #transactionLock = new Mutex();
  #nextId = 1;
  /** Why the thread can no longer answer (it stopped, or was closed); undefined while it runs. */
  #gone: string | undefined;
  readonly #started: Promise<void>;
  /** Settles with the reason once the thread has stopped by itself (not by close()); never otherwise. */
  readonly stopped: Promise<string>;

  constructor(workerFile: string, data: PgliteThreadData) {
    super();
    let announceStop: (reason: string) => void = () => {};
    this.stopped = new Promise((resolve) => (announceStop = resolve));
    this.#worker = new Worker(workerFile, { workerData: data });
    this.#started = new Promise<void>((resolve, reject) => {
      this.#worker.on('message', (answer: PgliteThreadAnswer) => {
        if ('ready' in answer) resolve();
        else if ('notification' in answer) this.#deliver(answer.notification.channel, answer.notification.payload);
        else if ('failed' in answer) gone(answer.failed);
        else this.#settle(answer);
      });
      // Whichever comes first names the reason: an error in the thread, then its exit.
      const gone = (reason: string) => {
        reject(new DatabaseError(reason));
        if (this.#gone === undefined) announceStop(reason);
        this.#stop(reason);
      };
      this.#worker.on('error', (error) => gone(`the embedded database's thread failed: ${error.message}`));
      this.#worker.on('exit', (code) => gone(`the embedded database's thread stopped (exit code ${code})`));
    });
  }

  /** Opens the database in the worker; resolves once it can take statements. */
  async start(): Promise<void> {
    await this.#started;
    await this._initArrayTypes();
  }

  get closed(): boolean {
    return this.#gone !== undefined;
  }

  /** The webhook's prepared statements (pglite-prepared.ts), each run whole in PGlite's thread in one call. */
  readonly statements: PgliteStatements = {
    query: <T>(text: string, params: unknown[]) => this.#whole({ op: 'query', text, params }) as Promise<T[]>,
    transaction: (statements: Statement[]) => this.#whole({ op: 'transaction', statements }) as Promise<unknown[][]>,
  };

  async execProtocolStream(message: Uint8Array, options: StreamOptions = {}): Promise<BackendMessage[]> {
    const results = (await this.#call({ op: 'stream', message, syncToFs: options.syncToFs ?? true })) as BackendMessage[];
    if (options.onNotice) for (const m of results) if (m.name === 'notice') options.onNotice(m as messages.NoticeMessage);
    return results;
  }

  // PGlite's other protocol entries: nothing in wekf calls them (PGlite's base class and
  // pglite-prepared.ts use execProtocolStream), and none is sent to the thread.
  async execProtocol(): ReturnType<PGlite['execProtocol']> {
    throw new DatabaseError('execProtocol is not available on the embedded database thread; use execProtocolStream');
  }
  async execProtocolRaw(): Promise<Uint8Array> {
    throw new DatabaseError('execProtocolRaw is not available on the embedded database thread; use execProtocolStream');
  }
  async execProtocolRawStream(): Promise<void> {
    throw new DatabaseError('execProtocolRawStream is not available on the embedded database thread; use execProtocolStream');
  }

  async syncToFs(): Promise<void> {
    await this.#call({ op: 'syncToFs' });
  }

  async dumpDataDir(): Promise<Blob> {
    // Only the tests dump a database, and theirs run in-thread.
    throw new DatabaseError('dumpDataDir is not available on the embedded database thread');
  }

  // Files attached to a query (COPY … TO/FROM '/dev/blob'): wekf attaches none.
  async _handleBlob(blob?: Blob): Promise<void> {
    if (blob) throw new DatabaseError('files attached to a query are not supported on the embedded database thread');
  }
  async _getWrittenBlob(): Promise<undefined> {
    return undefined;
  }
  async _cleanupBlob(): Promise<void> {}

  async _checkReady(): Promise<void> {
    await this.#started;
  }

  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryLock.runExclusive(fn);
  }

  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transactionLock.runExclusive(fn);
  }

  /** LISTEN on PGlite's one connection; the worker forwards each notification here. */
  async listen(channel: string, callback: (payload: string) => void, tx?: Transaction): Promise<(tx?: Transaction) => Promise<void>> {
    const name = postgresName(channel);
    const callbacks = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, callbacks.add(callback));
    try {
      await (tx ?? this).exec(`LISTEN ${channel}`);
    } catch (error) {
      this.#forget(name, callback);
      throw error;
    }
    return async (unlistenTx?: Transaction) => {
      if (this.#forget(name, callback)) await (unlistenTx ?? this).exec(`UNLISTEN ${channel}`);
    };
  }

  /** Closes the database in its thread (a clean shutdown of Postgres), then ends the thread. */
  async close(): Promise<void> {
    try {
      if (!this.#gone) await this._runExclusiveTransaction(() => this._runExclusiveQuery(() => this.#call({ op: 'close' })));
    } finally {
      this.#stop('the embedded database is closed');
      await this.#worker.terminate();
    }
  }

  /** Removes one listener; true when it was the channel's last. */
  #forget(name: string, callback: (payload: string) => void): boolean {
    const callbacks = this.#listeners.get(name);
    if (!callbacks?.delete(callback) || callbacks.size > 0) return false;
    this.#listeners.delete(name);
    return true;
  }

  #deliver(channel: string, payload: string): void {
    for (const callback of this.#listeners.get(channel) ?? []) queueMicrotask(() => callback(payload));
  }

  /**
   * A call that PGlite's thread runs whole, from start to end, before the next. The locks are held
   * only while it is sent, not until it is answered: PGlite's thread runs calls in the order sent,
   * so the call cannot land inside anyone's transaction, and the next statement waits there, ready,
   * instead of being sent only once this one's answer has come back.
   */
  async #whole(call: CallOf<'query' | 'transaction'>): Promise<unknown> {
    const answer = await this._runExclusiveTransaction(() => this._runExclusiveQuery(async () => ({ sent: this.#call(call) })));
    return answer.sent;
  }

  #call<Op extends PgliteThreadCall['op']>(call: CallOf<Op>): Promise<unknown> {
    if (this.#gone) return Promise.reject(new DatabaseError(this.#gone));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...call, id } as PgliteThreadCall);
    });
  }

  #settle(answer: Extract<PgliteThreadAnswer, { id: number }>): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    if ('error' in answer) pending.reject(errorFrom(answer.error));
    else pending.resolve(answer.value);
  }

  /** Every call waiting, and every later one, fails with `reason`. */
  #stop(reason: string): void {
    this.#gone ??= reason;
    for (const pending of this.#pending.values()) pending.reject(new DatabaseError(reason));
    this.#pending.clear();
  }
}

/** PGlite's DatabaseError again, with Postgres's fields, so callers see the SQLSTATE they would in-thread. */
function errorFrom(error: PgliteThreadError): Error {
  if (!error.fields) return new DatabaseError(error.message);
  return Object.assign(new messages.DatabaseError(error.message, 0, 'error'), error.fields);
}

/** A channel as Postgres names it: folded to lower case unless quoted. */
function postgresName(channel: string): string {
  return channel.startsWith('"') && channel.endsWith('"') ? channel.slice(1, -1) : channel.toLowerCase();
}
