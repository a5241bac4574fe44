// What the sandbox page does for a newcomer: demo agents that exist in the fake WeChat and in wekf
// (as an agent sync would record them), followers named by the player, and an agent's presence
// mirrored at once so the Live page shows it without waiting for the online-status job.
import 'server-only';
import type { Db } from '@/db/client';
import { CHANNEL, notify } from '@/db/listen';
import { upsertAgent } from '@/db/queries/agents';
import { setAgentPresence } from '@/db/queries/live-queue';
import type { KfApi } from '@/lib/wechat/kf-api';
import { sandboxKfSuffix, sandboxWechat } from './console';
import { SANDBOX_AGENTS } from './index';

/** The fake starts with these (lib/sandbox/index.ts); the page recreates them if they were removed. */
export const DEMO_AGENTS = SANDBOX_AGENTS;

const FOLLOWER_PREFIX = 'sbx_';

/** A follower's openid from the name the player gave (and back), so no table is needed for names. */
export function followerOpenid(name: string): string {
  return FOLLOWER_PREFIX + Buffer.from(name, 'utf8').toString('base64url');
}

export function followerName(openid: string): string | undefined {
  if (!openid.startsWith(FOLLOWER_PREFIX)) return undefined;
  return Buffer.from(openid.slice(FOLLOWER_PREFIX.length), 'base64url').toString('utf8') || undefined;
}

/** Creates the demo agents in the fake (through WeChat's own API) where missing, bound and online, and in wekf. */
export async function addDemoAgents(db: Db, kf: KfApi, now = new Date()): Promise<void> {
  const existing = new Set((await sandboxWechat.snapshot()).accounts.map((a) => a.kfAccount));
  for (const demo of DEMO_AGENTS) {
    const kfAccount = `${demo.prefix}@${sandboxKfSuffix()}`;
    if (!existing.has(kfAccount)) {
      await kf.addKfAccount({ kfAccount, nickname: demo.nickname });
      await kf.inviteWorker({ kfAccount, inviteWx: demo.workerWx });
      await sandboxWechat.acceptInvite(kfAccount);
    }
    await sandboxWechat.setOnline(kfAccount, true);
    await upsertAgent(db, { kfAccount, nickname: demo.nickname, status: 'active', kfWx: demo.workerWx });
    await setAgentPresence(db, { kfAccount, online: true, now });
  }
  await notify(db, CHANNEL.agents, JSON.stringify({ kind: 'presence' }));
}

export async function setDemoAgentOnline(db: Db, params: { kfAccount: string; online: boolean }, now = new Date()): Promise<void> {
  await sandboxWechat.setOnline(params.kfAccount, params.online);
  await db.transaction(async (tx) => {
    await setAgentPresence(tx, { kfAccount: params.kfAccount, online: params.online, now });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'presence' }));
  });
}
