import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agents } from '../schema';

export type Agent = typeof agents.$inferSelect;

export async function findAgentNickname(tx: DbOrTx, params: { kfAccount: string }): Promise<string | undefined> {
  const [row] = await tx.select({ nickname: agents.nickname }).from(agents).where(eq(agents.kfAccount, params.kfAccount));
  return row?.nickname;
}

export async function upsertAgent(
  tx: DbOrTx,
  params: { kfAccount: string; nickname: string; status: Agent['status']; kfOpenid?: string | null; kfWx?: string | null },
): Promise<void> {
  await tx
    .insert(agents)
    .values(params)
    .onConflictDoUpdate({
      target: agents.kfAccount,
      set: { nickname: params.nickname, status: params.status, kfOpenid: params.kfOpenid, kfWx: params.kfWx, updatedAt: new Date() },
    });
}
