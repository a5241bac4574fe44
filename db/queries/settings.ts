import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { settings } from '../schema';

export async function getSetting(tx: DbOrTx, params: { key: string }): Promise<unknown> {
  const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, params.key));
  return row?.value;
}

export async function putSetting(tx: DbOrTx, params: { key: string; value: unknown; userId: number | null }): Promise<void> {
  await tx
    .insert(settings)
    .values({ key: params.key, value: params.value, updatedBy: params.userId })
    .onConflictDoUpdate({ target: settings.key, set: { value: params.value, updatedBy: params.userId, updatedAt: new Date() } });
}

/**
 * The setting's value, locked until the caller's transaction ends, so two admins saving at once are
 * serialized and the second sees the first's version. An absent key is created empty first.
 */
export async function lockSetting(tx: DbOrTx, params: { key: string; empty: unknown }): Promise<unknown> {
  await tx.insert(settings).values({ key: params.key, value: params.empty }).onConflictDoNothing({ target: settings.key });
  const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, params.key)).for('update');
  return row?.value;
}
