// The webhook's replay store: each push's signed query (timestamp, nonce, signature; keyed by the
// signature, see db/schema/replay.ts) with a hash of its body, kept while the timestamp is inside the
// freshness window. WeChat's plain signature does
// not cover the body, so the same query with another body is a replay and is refused; with the same
// body it is WeChat retrying, and dedupe answers it with the stored reply.
//
// The check costs no round trip of its own on the hot paths: the batch statements of
// plain-message.ts and keyword-messages.ts record the queries in a CTE (replayGuardCtes) and claim
// only the pushes it admits, so a refused push has no effect and the store commits or rolls back
// with the pushes it let in.
//
// On PGlite the store lives in this process's memory instead (memory-replay-store.ts): PGlite is one
// process (db/engines/pglite.ts locks its folder), so memory is as shared as the table, and a lookup
// in memory replaces the table's insert in every batch, which cost PGlite's single thread about 5 %
// of the webhook's throughput (docs/benchmarks.md). The table carries it over a clean restart.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from '../client';
import { webhookNonces } from '../schema';
import { MemoryReplayStore, type RememberedQuery } from './memory-replay-store';
import { rawExecutor } from './raw';

/** A push's signed query and its body's hash (pushQueryOf in lib/kf/webhook-query.ts). */
export interface PushQuery {
  timestamp: string;
  nonce: string;
  signature: string;
  bodyHash: string;
}

/** The four parameter arrays the batch statements unnest beside their own columns. */
export function pushQueryParams(items: readonly { query?: PushQuery }[]): [string[], string[], string[], string[]] {
  return [
    items.map((i) => i.query?.timestamp ?? null) as string[],
    items.map((i) => i.query?.nonce ?? null) as string[],
    items.map((i) => i.query?.signature ?? null) as string[],
    items.map((i) => i.query?.bodyHash ?? null) as string[],
  ];
}

/**
 * CTEs over `input` (columns q_timestamp, q_nonce, q_signature, body_hash, dedupe_key; the
 * signature is the query's, lowercase hex, as the query check has verified it):
 * `nonce_seen` records each query, `checked` marks each push fresh or not, and `admitted` is the
 * input less the replays. On a conflict the
 * row is locked and returned as stored (DO UPDATE, not DO NOTHING: a query stored by a transaction
 * that committed after this statement began would be invisible to a plain read), so its hash decides.
 * Two pushes of one batch with the same query and different bodies: the first in the batch is
 * admitted, the other refused. A push without a query (a caller other than the webhook) is admitted.
 */
export function replayGuardCtes(): string {
  return `nonce_seen as (
    insert into webhook_nonces (signature, timestamp, nonce, body_hash)
    select distinct on (q_signature) decode(q_signature, 'hex'), q_timestamp::bigint, q_nonce, body_hash
    from input where q_signature is not null
    order by q_signature, dedupe_key
    on conflict (signature) do update set body_hash = webhook_nonces.body_hash
    returning encode(signature, 'hex') as signature, body_hash
  ),
  checked as (
    -- A join, not a subquery per push, so a batch costs in proportion to its size.
    select i.*, (i.q_signature is null or n.body_hash is not distinct from i.body_hash) as fresh
    from input as i left join nonce_seen as n on n.signature = i.q_signature
  ),
  admitted as (
    select * from checked where fresh
  )`;
}

/** The dedupe keys of `input` that `admitted` refused, as rows (dedupe_key). */
export const REFUSED_REPLAYS = `select dedupe_key from checked where not fresh`;

/**
 * Records one push's query inside the caller's transaction (the event path); false when the same
 * query was stored with another body (a replay: the caller must do nothing).
 */
export async function recordPushQuery(tx: DbOrTx, query: PushQuery): Promise<boolean> {
  const [row] = await tx
    .insert(webhookNonces)
    .values({ signature: Buffer.from(query.signature, 'hex'), timestamp: Number(query.timestamp), nonce: query.nonce, bodyHash: query.bodyHash })
    .onConflictDoUpdate({
      target: webhookNonces.signature,
      set: { bodyHash: sql.raw(`"webhook_nonces"."body_hash"`) },
    })
    .returning({ bodyHash: webhookNonces.bodyHash });
  return row?.bodyHash === query.bodyHash;
}

const DELETE_STALE = `with gone as (delete from webhook_nonces where timestamp < $1::bigint returning 1) select count(*)::int as n from gone`;

/** Forgets the queries whose timestamp is before `beforeSeconds` (the query check refuses them now); how many. */
export async function deleteStaleNonces(database: DatabaseHandle, beforeSeconds: number): Promise<number> {
  const [row] = await rawExecutor(database).query<{ n: number }>(DELETE_STALE, [String(beforeSeconds)]);
  return (row?.n ?? 0) + (memoryStores.get(database)?.forgetBefore(beforeSeconds) ?? 0);
}

/** How many queries are stored (on PGlite once in use, in memory); for tests and benchmarks. */
export async function countNonces(database: DatabaseHandle): Promise<number> {
  const inMemory = memoryStores.get(database);
  if (inMemory) return inMemory.size;
  const [row] = await rawExecutor(database).query<{ n: number }>(`select count(*)::int as n from webhook_nonces`, []);
  return row?.n ?? 0;
}

/** The body hash stored for a signed query (in memory on PGlite, else the table); for tests. */
export async function storedBodyHash(database: DatabaseHandle, signature: string): Promise<string | undefined> {
  const inMemory = (await memoryReplayStore(database))?.bodyHashOf(signature);
  if (inMemory !== undefined) return inMemory;
  const [row] = await rawExecutor(database).query<{ body_hash: string }>(`select body_hash from webhook_nonces where signature = decode($1, 'hex')`, [signature]);
  return row?.body_hash;
}

const memoryStores = new WeakMap<DatabaseHandle, MemoryReplayStore>();
const loading = new WeakMap<DatabaseHandle, Promise<MemoryReplayStore>>();

/**
 * The in-memory store of a PGlite database, loaded from the table on first use (what the last clean
 * stop saved there); undefined on Postgres, where the batch statements check the table.
 */
export function memoryReplayStore(database: DatabaseHandle): MemoryReplayStore | Promise<MemoryReplayStore> | undefined {
  if (database.kind !== 'pglite') return undefined;
  const ready = memoryStores.get(database);
  if (ready) return ready;
  let pending = loading.get(database);
  if (!pending) {
    pending = (async () => {
      const rows = await rawExecutor(database).query<{ signature: string; timestamp: string; nonce: string; body_hash: string }>(
        `select encode(signature, 'hex') as signature, timestamp::text, nonce, body_hash from webhook_nonces`,
        [],
      );
      const store = new MemoryReplayStore();
      for (const row of rows) {
        try {
          store.remember({ signature: row.signature, timestamp: Number(row.timestamp), nonce: row.nonce, bodyHash: row.body_hash });
        } catch {
          // A row the store cannot hold (written by hand, say) is left out: refusing to load would
          // refuse every push, while leaving it out forgets one query for at most its window.
        }
      }
      memoryStores.set(database, store);
      return store;
    })();
    loading.set(database, pending);
    // A failed load is tried again by the next push, not remembered.
    pending.catch(() => loading.delete(database));
  }
  return pending;
}

const SAVE_CHUNK = 5_000;

/**
 * Writes an in-memory store to the table, for the next start (a clean stop: a crash loses it, as a
 * crash empties the UNLOGGED table on either engine). Nothing to do on Postgres; the rows saved.
 */
export async function saveMemoryReplayStore(database: DatabaseHandle): Promise<number> {
  const store = memoryStores.get(database);
  if (!store) return 0;
  const raw = rawExecutor(database);
  // A chunk at a time from the store's tables: a million remembered queries are never all objects at once.
  let chunk: RememberedQuery[] = [];
  let saved = 0;
  const write = async () => {
    await raw.query(
      `insert into webhook_nonces (signature, timestamp, nonce, body_hash)
       select decode(s, 'hex'), t, n, h from unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) as x(s, t, n, h)
       on conflict (signature) do nothing`,
      [chunk.map((e) => e.signature), chunk.map((e) => e.timestamp), chunk.map((e) => e.nonce), chunk.map((e) => e.bodyHash)],
    );
    saved += chunk.length;
    chunk = [];
  };
  for (const entry of store.entries()) {
    chunk.push(entry);
    if (chunk.length === SAVE_CHUNK) await write();
  }
  if (chunk.length > 0) await write();
  return saved;
}
