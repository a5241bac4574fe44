// Follower names: WeChat gives none since 2021-12-27, only the remark staff set (PROTOCOL.md §6.9).
// The console edits it here (updateremark at WeChat first, then our copy, audited); the sync job
// (follower-remark-sync.ts) reads it back. Either way a change reaches open Live pages at once.
import 'server-only';
import type { Db, DbOrTx } from '@/db/client';
import { CHANNEL, notify } from '@/db/listen';
import { recordAudit } from '@/db/queries/audit-log';
import { listOpenSessionIds } from '@/db/queries/customer-sessions';
import { storeFollowerRemarks, type FetchedRemark, type StoredRemark } from '@/db/queries/followers';
import { findSessionById } from '@/db/queries/session-timeline';
import { DomainError } from '@/lib/errors';
import type { KfApi } from '@/lib/wechat/kf-api';

/**
 * Stores remarks and tells the live channel about the open sessions of followers whose remark
 * changed (the ids only, as every live payload), so their rows are renamed without a reload.
 */
export async function saveRemarks(tx: DbOrTx, remarks: FetchedRemark[], checkedAt: Date): Promise<StoredRemark[]> {
  const stored = await storeFollowerRemarks(tx, { remarks, checkedAt });
  const renamed = stored.filter((r) => r.previous !== r.remark).map((r) => r.openid);
  const ids = await listOpenSessionIds(tx, { openids: renamed });
  if (ids.length > 0) await notify(tx, CHANNEL.live, JSON.stringify({ kind: 'remarks', ids: ids.slice(0, 50), more: ids.length > 50 }));
  return stored;
}

/**
 * "Edit remark" on a session's page, for admins and operators: WeChat first (its refusal, a
 * WechatApiError, is shown in the reader's language by the action wrapper), then our copy and the
 * audit line. '' clears the remark.
 */
export async function setFollowerRemark(
  db: Db,
  kf: Pick<KfApi, 'updateRemark'>,
  actor: { id: number },
  params: { sessionId: number; remark: string },
  now = new Date(),
): Promise<void> {
  const session = await findSessionById(db, { id: params.sessionId });
  if (!session) throw new DomainError('error.notFound');
  await kf.updateRemark({ openid: session.openid, remark: params.remark });
  await db.transaction(async (tx) => {
    const [stored] = await saveRemarks(tx, [{ openid: session.openid, remark: params.remark }], now);
    await recordAudit(tx, {
      userId: actor.id,
      action: 'follower.remark',
      target: session.openid,
      detail: `session:${session.id}`,
      changes: { before: { remark: stored?.previous ?? null }, after: { remark: params.remark || null } },
    });
  });
}
