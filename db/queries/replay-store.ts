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
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from '../client';
import { webhookNonces } from '../schema';
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

/** Deletes the queries whose timestamp is before `beforeSeconds`: the query check refuses them now. */
export async function deleteStaleNonces(database: DatabaseHandle, beforeSeconds: number): Promise<number> {
  const [row] = await rawExecutor(database).query<{ n: number }>(DELETE_STALE, [String(beforeSeconds)]);
  return row?.n ?? 0;
}

/** How many queries are stored; for tests and benchmarks. */
export async function countNonces(database: DatabaseHandle): Promise<number> {
  const [row] = await rawExecutor(database).query<{ n: number }>(`select count(*)::int as n from webhook_nonces`, []);
  return row?.n ?? 0;
}
