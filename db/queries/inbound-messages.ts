import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from '../client';
import { inboundMessages } from '../schema';
import { rawExecutor, type RawExecutor } from './raw';

export type InboundClaim = { claimed: true; id: number } | { claimed: false; reply: string | null };

/**
 * Claim a push by its dedupe key, inside the caller's transaction. A duplicate that arrives while
 * the first delivery's transaction is still open blocks on the unique index until it commits, then
 * sees the stored reply; if the first rolled back, the duplicate claims it instead.
 */
export async function claimInbound(
  tx: DbOrTx,
  params: { dedupeKey: string; openid: string; msgType: string; event: string | null; summary: string | null; receivedAt: Date },
): Promise<InboundClaim> {
  const [row] = await tx
    .insert(inboundMessages)
    .values({ ...params, state: 'processing' })
    .onConflictDoNothing({ target: inboundMessages.dedupeKey })
    .returning({ id: inboundMessages.id });
  if (row) return { claimed: true, id: row.id };
  return { claimed: false, reply: await getStoredReply(tx, { dedupeKey: params.dedupeKey, openid: params.openid }) };
}

/**
 * The reply stored for an earlier delivery of this push, only if it went to this same follower: a
 * stored reply is addressed to one openid and must never reach another (issue 20's leak came from
 * keys that two followers shared). Null when there is none or it was someone else's.
 */
async function getStoredReply(tx: DbOrTx, params: { dedupeKey: string; openid: string }): Promise<string | null> {
  const [row] = await tx
    .select({ reply: inboundMessages.reply })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.dedupeKey, params.dedupeKey), eq(inboundMessages.openid, params.openid)));
  return row?.reply ?? null;
}

export async function completeInbound(tx: DbOrTx, params: { id: number; reply: string }): Promise<void> {
  await tx.update(inboundMessages).set({ reply: params.reply, state: 'done' }).where(eq(inboundMessages.id, params.id));
}

export type InboundMessageRow = typeof inboundMessages.$inferSelect;

/** A follower's pushes, oldest first. */
export async function listInboundFor(tx: DbOrTx, params: { openid: string }): Promise<InboundMessageRow[]> {
  return tx.select().from(inboundMessages).where(eq(inboundMessages.openid, params.openid)).orderBy(asc(inboundMessages.id));
}

export async function countInboundByKey(tx: DbOrTx, params: { dedupeKey: string }): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(inboundMessages)
    .where(eq(inboundMessages.dedupeKey, params.dedupeKey));
  return row?.n ?? 0;
}

// The openid is matched too, as in getStoredReply: a reply only ever goes back to its own follower.
const STORED_REPLIES = `
  select m.dedupe_key, m.reply
  from unnest($1::text[], $2::text[]) as p(dedupe_key, openid)
  join inbound_messages as m on m.dedupe_key = p.dedupe_key and m.openid = p.openid`;

/** Replies stored for pushes handled before (retries), by dedupe key; for the batched paths. */
export async function storedReplies(
  tx: RawExecutor,
  pushes: readonly { dedupeKey: string; openid: string }[],
): Promise<Map<string, string | null>> {
  if (pushes.length === 0) return new Map();
  const rows = await tx.query<{ dedupe_key: string; reply: string | null }>(STORED_REPLIES, [
    pushes.map((p) => p.dedupeKey),
    pushes.map((p) => p.openid),
  ]);
  return new Map(rows.map((row) => [row.dedupe_key, row.reply]));
}

// The oldest `limit` pushes by id, and of those the ones received before the cutoff deleted. Ids
// follow arrival, so the oldest rows are at the front of the primary key and a slice reads only
// them: no index on received_at, which every push would pay for. A slice that keeps some of its
// rows has reached the pushes still kept.
const DELETE_OLD_SLICE = `
  with oldest as (
    select id, received_at from inbound_messages order by id limit $2
  ),
  gone as (
    delete from inbound_messages as m using oldest as o
    where m.id = o.id and o.received_at < $1::timestamptz
    returning 1
  )
  select (select count(*) from gone)::int as deleted, (select count(*) from oldest)::int as looked`;

/** Deletes a slice of pushes received before `before` (retention): how many were deleted, and whether older ones may remain. */
export async function deleteOldInboundSlice(
  database: DatabaseHandle,
  params: { before: Date; limit: number },
): Promise<{ deleted: number; more: boolean }> {
  const [row] = await rawExecutor(database).query<{ deleted: number; looked: number }>(DELETE_OLD_SLICE, [params.before.toISOString(), params.limit]);
  const deleted = row?.deleted ?? 0;
  return { deleted, more: deleted === params.limit };
}
