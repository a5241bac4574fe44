// Named prepared statements on PGlite, for the raw hot-path statements (db/queries/raw.ts).
//
// PGlite's query() sends its SQL as an unnamed statement: every call parses, analyses and plans it
// again, in six trips into the WASM Postgres (parse, describe, bind, describe, execute, sync). The
// webhook's statements are the same text every time, so here each text is parsed and described once
// under a name, and every call is one trip: Bind, Execute and Sync in one buffer, with Postgres's
// plan cache deciding, as on a Postgres server, when one generic plan serves every call. For the
// ordinary messages' statement that is 3.6 → 1.6 ms for a batch of 16 (docs/benchmarks.md).
//
// A plan chosen while the tables were small is dropped whenever the upkeep's VACUUM or ANALYZE
// changes their statistics; a new database's tables grow fast before the first upkeep, so a
// statement is also parsed again when its preparation is older than REPREPARE_AFTER_MS.
import 'server-only';
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { PgliteStatements, Statement } from '../handle';

/** How long one preparation (and so its cached plan) may serve before the text is parsed again. */
export const REPREPARE_AFTER_MS = 10_000;
/** Texts kept prepared at once; the least recently used is closed beyond this. */
export const MAX_PREPARED = 64;

interface Prepared {
  name: string;
  /** Type OIDs of the parameters, as Postgres inferred them: each value is serialised for its type. */
  paramTypes: number[];
  /** The columns, described once with the statement: each call's answer is only its rows. */
  rowDescription: BackendMessage | undefined;
  preparedAt: number;
}

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

export class PglitePreparedStatements implements PgliteStatements {
  readonly #pg: PGlite;
  readonly #now: () => number;
  /** By SQL text; a Map keeps insertion order, and each use moves its entry to the end. */
  readonly #byText = new Map<string, Prepared>();
  #nextId = 1;

  constructor(pg: PGlite, opts: { now?: () => number } = {}) {
    this.#pg = pg;
    this.#now = opts.now ?? Date.now;
  }

  /** Runs `text` outside any transaction, as pg.query() does: after any transaction in progress. */
  async query<T>(text: string, params: unknown[]): Promise<T[]> {
    const pg = this.#pg;
    await pg._checkReady();
    return pg._runExclusiveTransaction(() =>
      pg._runExclusiveQuery(async () => {
        const rows = await this.#run<T>(text, params);
        await pg.syncToFs();
        return rows;
      }),
    );
  }

  /** Runs `statements` in order in one transaction: if one fails, none of them stays. */
  async transaction(statements: Statement[]): Promise<unknown[][]> {
    return this.#pg.transaction(async () => {
      const results: unknown[][] = [];
      for (const s of statements) results.push(await this.queryInTransaction(s.text, s.params));
      return results;
    });
  }

  /** Runs `text` inside the transaction the caller holds (pg.transaction's callback). */
  async queryInTransaction<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.#pg._runExclusiveQuery(() => this.#run<T>(text, params));
  }

  /** Texts prepared now (for tests). */
  get size(): number {
    return this.#byText.size;
  }

  async #run<T>(text: string, params: unknown[]): Promise<T[]> {
    const statement = await this.#prepared(text);
    const serializers = this.#pg.serializers;
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = serializers[statement.paramTypes[i]!];
      return serialize ? serialize(value) : String(value);
    });
    const messages = await this.#exec(bindExecuteSync(statement.name, values));
    if (statement.rowDescription) messages.unshift(statement.rowDescription);
    return parse.parseResults(messages, this.#pg.parsers)[0]!.rows as T[];
  }

  async #prepared(text: string): Promise<Prepared> {
    const cached = this.#byText.get(text);
    if (cached) {
      this.#byText.delete(text);
      if (this.#now() - cached.preparedAt < REPREPARE_AFTER_MS) {
        this.#byText.set(text, cached);
        return cached;
      }
      await this.#close(cached);
    }
    if (this.#byText.size >= MAX_PREPARED) {
      const [oldestText, oldest] = this.#byText.entries().next().value as [string, Prepared];
      this.#byText.delete(oldestText);
      await this.#close(oldest);
    }
    const name = `wekf_${this.#nextId++}`;
    const ser = protocol.serialize;
    const described = await this.#exec(Buffer.concat([ser.parse({ name, text }), ser.describe({ type: 'S', name }), ser.sync()]));
    const description = described.find((m) => m.name === 'parameterDescription') as { dataTypeIDs?: number[] } | undefined;
    const prepared = {
      name,
      paramTypes: description?.dataTypeIDs ?? [],
      rowDescription: described.find((m) => m.name === 'rowDescription'),
      preparedAt: this.#now(),
    };
    this.#byText.set(text, prepared);
    return prepared;
  }

  async #close(statement: Prepared): Promise<void> {
    const ser = protocol.serialize;
    await this.#exec(Buffer.concat([ser.close({ type: 'S', name: statement.name }), ser.sync()]));
  }

  /** One trip into PGlite; an error response throws PGlite's DatabaseError (its SQLSTATE in `code`). */
  #exec(message: Uint8Array): Promise<BackendMessage[]> {
    // The file system is synced by query() once the statement is done, as PGlite's own query() does.
    return this.#pg.execProtocolStream(message, { syncToFs: false });
  }
}

const EXECUTE_SYNC = Buffer.concat([protocol.serialize.execute({}), protocol.serialize.sync()]);

/**
 * Bind (the unnamed portal, every value and column as text), Execute and Sync, in one buffer. Written
 * here rather than by PGlite's serializer, which measures and encodes each value's UTF-8 a character
 * at a time in JavaScript: the ordinary statement binds about 1 KB of reply XML per message.
 */
export function bindExecuteSync(statement: string, values: (string | null)[]): Uint8Array {
  const lengths = values.map((value) => (value === null ? -1 : Buffer.byteLength(value)));
  // The length counts itself (not the type byte): the portal ("") and statement names, no parameter
  // formats, the count, each value's length and bytes, no result formats.
  const bindLength = 4 + 1 + Buffer.byteLength(statement) + 1 + 2 + 2 + lengths.reduce((sum, n) => sum + 4 + Math.max(n, 0), 0) + 2;
  const out = Buffer.allocUnsafe(1 + bindLength + EXECUTE_SYNC.length);
  let at = out.writeUInt8(0x42, 0); // 'B'
  at = out.writeInt32BE(bindLength, at);
  at = out.writeUInt8(0, at); // portal ""
  at += out.write(statement, at);
  at = out.writeUInt8(0, at);
  at = out.writeInt16BE(0, at); // parameter formats: all text
  at = out.writeInt16BE(values.length, at);
  values.forEach((value, i) => {
    at = out.writeInt32BE(lengths[i]!, at);
    if (value !== null) at += out.write(value, at);
  });
  at = out.writeInt16BE(0, at); // result formats: all text
  out.set(EXECUTE_SYNC, at);
  return out;
}
