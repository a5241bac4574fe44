import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { inboundMessages } from '../schema';
import type { RawExecutor } from './raw';

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
  return { claimed: false, reply: await getStoredReply(tx, { dedupeKey: params.dedupeKey }) };
}

export async function getStoredReply(tx: DbOrTx, params: { dedupeKey: string }): Promise<string | null> {
  const [row] = await tx
    .select({ reply: inboundMessages.reply })
    .from(inboundMessages)
    .where(eq(inboundMessages.dedupeKey, params.dedupeKey));
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

const STORED_REPLIES = `select dedupe_key, reply from inbound_messages where dedupe_key = any($1::text[])`;

/** Replies stored for pushes handled before (retries), by dedupe key; for the batched paths. */
export async function storedReplies(tx: RawExecutor, dedupeKeys: string[]): Promise<Map<string, string | null>> {
  if (dedupeKeys.length === 0) return new Map();
  const rows = await tx.query<{ dedupe_key: string; reply: string | null }>(STORED_REPLIES, [dedupeKeys]);
  return new Map(rows.map((row) => [row.dedupe_key, row.reply]));
}
