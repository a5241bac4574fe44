import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { wechatTokens } from '../schema';

/** The stored token; fetchedAt is when it was saved (updated_at). */
export async function getStoredToken(tx: DbOrTx, params: { appId: string }): Promise<{ accessToken: string; expiresAt: Date; fetchedAt: Date } | undefined> {
  const [row] = await tx
    .select({ accessToken: wechatTokens.accessToken, expiresAt: wechatTokens.expiresAt, fetchedAt: wechatTokens.updatedAt })
    .from(wechatTokens)
    .where(eq(wechatTokens.appId, params.appId));
  return row;
}

/** Saves a token fetched at `fetchedAt` (default now). */
export async function saveToken(tx: DbOrTx, params: { appId: string; accessToken: string; expiresAt: Date; fetchedAt?: Date }): Promise<void> {
  const row = { appId: params.appId, accessToken: params.accessToken, expiresAt: params.expiresAt, updatedAt: params.fetchedAt ?? new Date() };
  await tx
    .insert(wechatTokens)
    .values(row)
    .onConflictDoUpdate({
      target: wechatTokens.appId,
      set: { accessToken: row.accessToken, expiresAt: row.expiresAt, updatedAt: row.updatedAt },
    });
}

/** Expire this token only if it is still the stored one: another instance may have replaced it. */
export async function expireToken(tx: DbOrTx, params: { appId: string; accessToken: string; now: Date }): Promise<void> {
  await tx
    .update(wechatTokens)
    .set({ expiresAt: params.now, updatedAt: params.now })
    .where(and(eq(wechatTokens.appId, params.appId), eq(wechatTokens.accessToken, params.accessToken)));
}
