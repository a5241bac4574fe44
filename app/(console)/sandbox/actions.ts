'use server';
// The sandbox page: play follower and agent against the fake WeChat. Sandbox mode only; any
// signed-in staff member may play; each step is audited like every console mutation.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentDatabase } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { staffAction } from '@/lib/actions';
import type { SignedInUser } from '@/lib/auth/session';
import { DomainError } from '@/lib/errors';
import { isMessageKey, type Translate } from '@/lib/i18n/format';
import { SandboxRefusal, sandboxAvailable, sandboxWechat } from '@/lib/sandbox/console';
import { runAgentSync } from '@/lib/kf/agents';
import { addDemoAgents, followerOpenid, setDemoAgentOnline } from '@/lib/sandbox/demo';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { WechatApiError } from '@/lib/wechat/errors';
import {
  addFollowerSchema,
  agentAcceptInviteSchema,
  agentAcceptSchema,
  agentCloseSchema,
  agentOnlineSchema,
  agentReplySchema,
  agentSwitchSchema,
  followerScanSchema,
  followerSendSchema,
} from './schemas';

const QR_CREATE_PATH = '/cgi-bin/qrcode/create';

type Step<S extends z.ZodType> = (input: z.infer<S>, user: SignedInUser) => Promise<{ audit: string; target: string }>;

/** Checks sandbox mode, runs the step, waits for the webhook to have answered what it pushed, audits. */
function sandboxStep<S extends z.ZodType>(schema: S, step: Step<S>) {
  return staffAction(schema, async (input, { user, t }) => {
    if (!sandboxAvailable()) throw new DomainError('sandbox.notAvailable');
    let done: { audit: string; target: string };
    try {
      done = await step(input, user);
      await sandboxWechat.settled();
    } catch (error) {
      if (error instanceof SandboxRefusal) throw new DomainError('sandbox.simRefused', { reason: refusalText(error, t) }, { cause: error });
      if (error instanceof WechatApiError) {
        throw new DomainError('live.wechatRefused', { zh: error.meaning.zh, en: error.meaning.en, code: error.errcode }, { cause: error });
      }
      throw error;
    }
    await recordAudit(currentDatabase().db, { userId: user.id, action: `sandbox.${done.audit}`, target: done.target });
    revalidatePath('/sandbox');
    return t('sandbox.done');
  });
}

/** The fake's refusal in the page's language where its code is one the page can meet; else as the fake wrote it. */
function refusalText(refusal: SandboxRefusal, t: Translate): string {
  const key = `sandbox.refusal.${refusal.code}`;
  return isMessageKey(key) ? t(key) : refusal.reason || refusal.code;
}

export const addDemoAgentsAction = sandboxStep(z.object({}), async () => {
  await addDemoAgents(currentDatabase().db, wechatApiForConsole());
  return { audit: 'demo-agents', target: 'agents' };
});

export const addFollowerAction = sandboxStep(addFollowerSchema, async ({ name }) => {
  const openid = followerOpenid(name);
  await sandboxWechat.subscribe(openid);
  // The name typed here is the follower's remark in the fake WeChat, so the console shows it the way
  // it shows a real follower's: read back by the remark sync (lib/kf/follower-remark-sync.ts).
  await sandboxWechat.setRemark(openid, name);
  return { audit: 'follow', target: openid };
});

export const followerSendAction = sandboxStep(followerSendSchema, async ({ openid, text }) => {
  await sandboxWechat.sendText(openid, text);
  return { audit: 'follower-send', target: openid };
});

/**
 * The follower scans the binding QR code the Agents page showed last, as an agent holding their phone
 * would: the code's scene is read from the fake WeChat's record of qrcode/create.
 */
export const followerScanAction = sandboxStep(followerScanSchema, async ({ openid }) => {
  const created = await sandboxWechat.calls(QR_CREATE_PATH);
  const scene = (created.at(-1)?.body as { action_info?: { scene?: { scene_str?: string } } } | undefined)?.action_info?.scene?.scene_str;
  if (!scene) throw new DomainError('sandbox.noQrCode');
  await sandboxWechat.scan(openid, scene);
  return { audit: 'follower-scan', target: openid };
});

/** The invited WeChat user accepts in WeChat; a sync then shows the agent bound, as it would later by itself. */
export const agentAcceptInviteAction = sandboxStep(agentAcceptInviteSchema, async ({ kfAccount }) => {
  await sandboxWechat.acceptInvite(kfAccount);
  await runAgentSync({ database: currentDatabase(), kf: wechatApiForConsole() });
  return { audit: 'agent-accept-invite', target: kfAccount };
});

export const agentOnlineAction = sandboxStep(agentOnlineSchema, async ({ kfAccount, online }) => {
  await setDemoAgentOnline(currentDatabase().db, { kfAccount, online });
  return { audit: online ? 'agent-online' : 'agent-offline', target: kfAccount };
});

export const agentAcceptAction = sandboxStep(agentAcceptSchema, async ({ kfAccount }) => {
  await sandboxWechat.accept(kfAccount);
  return { audit: 'agent-accept', target: kfAccount };
});

export const agentSwitchAction = sandboxStep(agentSwitchSchema, async ({ kfAccount, openid, to }) => {
  await sandboxWechat.switchTo(kfAccount, openid, to);
  return { audit: 'agent-switch', target: `${kfAccount}>${to}` };
});

export const agentReplyAction = sandboxStep(agentReplySchema, async ({ kfAccount, openid, text }) => {
  await sandboxWechat.send(kfAccount, openid, text);
  return { audit: 'agent-reply', target: kfAccount };
});

export const agentCloseAction = sandboxStep(agentCloseSchema, async ({ kfAccount, openid }) => {
  await sandboxWechat.close(kfAccount, openid);
  return { audit: 'agent-close', target: kfAccount };
});
