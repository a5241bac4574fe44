import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { wechatTokens } from '../schema';

export async function getStoredToken(tx: DbOrTx, params: { appId: string }): Promise<{ accessToken: string; expiresAt: Date } | undefined> {
  const [row] = await tx
    .select({ accessToken: wechatTokens.accessToken, expiresAt: wechatTokens.expiresAt })
    .from(wechatTokens)
    .where(eq(wechatTokens.appId, params.appId));
  return row;
}

export async function saveToken(tx: DbOrTx, params: { appId: string; accessToken: string; expiresAt: Date }): Promise<void> {
  await tx
    .insert(wechatTokens)
    .values(params)
    .onConflictDoUpdate({
      target: wechatTokens.appId,
      set: { accessToken: params.accessToken, expiresAt: params.expiresAt, updatedAt: new Date() },
    });
}

/** Expire this token only if it is still the stored one: another instance may have replaced it. */
export async function expireToken(tx: DbOrTx, params: { appId: string; accessToken: string; now: Date }): Promise<void> {
  await tx
    .update(wechatTokens)
    .set({ expiresAt: params.now, updatedAt: params.now })
    .where(and(eq(wechatTokens.appId, params.appId), eq(wechatTokens.accessToken, params.accessToken)));
}
