'use server';
// Agents: every mutation re-checks the session and the admin role on the server (lib/actions.ts),
// calls WeChat through the shared-token client outside any request of WeChat's, and is audited.
import { revalidatePath } from 'next/cache';
import { currentDatabase } from '@/db/client';
import { adminAction, consoleCall } from '@/lib/actions';
import { DomainError } from '@/lib/errors';
import type { Translate } from '@/lib/i18n/format';
import { clearAgentOpenid, offerCodeBinding, offerQrBinding, readBindingState, setAgentOpenid, type BindingState } from '@/lib/kf/agent-binding';
import { changeAgentAvatar, inviteAgent, type InviteResult, reinviteAgent, removeAgent, renameAgent, syncAgentsNow, type AgentDeps } from '@/lib/kf/agents';
import { getT } from '@/lib/i18n/server';
import { sandboxAvailable } from '@/lib/sandbox/console';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { agentId, agentOnlySchema, avatarSchema, inviteSchema, openidSchema, reinviteSchema, renameSchema } from './schemas';
import { z } from 'zod';

function deps(): AgentDeps {
  return { database: currentDatabase(), kf: wechatApiForConsole() };
}

function done(message: string): string {
  revalidatePath('/agents');
  return message;
}

export const syncNowAction = adminAction(z.object({}), async (_input, { user, t }) => {
  const result = await syncAgentsNow(deps(), user);
  if (result === 'busy') return done(t('agents.syncBusy'));
  if (result.keptOnEmpty) return done(t('agents.syncKeptOnEmpty'));
  const { accounts, added, updated, removed } = result;
  return done(t('agents.synced', { accounts, added, updated, removed }));
});

/**
 * When WeChat creates the account but refuses the invitation, the agent is kept (the list shows it,
 * with a retry): the form says both, beside the invitee's WeChat ID, which is usually what to fix.
 */
async function inviteOutcome(result: InviteResult, t: Translate): Promise<string> {
  if (result.invited) return done(t('agents.invited', { kfAccount: result.agent.kfAccount, inviteWx: result.agent.inviteWx ?? '' }));
  revalidatePath('/agents');
  const { locale } = await getT();
  throw new DomainError(
    'agents.createdNotInvited',
    { kfAccount: result.agent.kfAccount, meaning: result.error.meaning[locale], code: result.error.errcode },
    { field: 'inviteWx' },
  );
}

export const inviteAction = adminAction(inviteSchema, async (input, { user, t }) => inviteOutcome(await inviteAgent(deps(), user, input), t));

export const reinviteAction = adminAction(reinviteSchema, async (input, { user, t }) => inviteOutcome(await reinviteAgent(deps(), user, input), t));

export const renameAction = adminAction(renameSchema, async (input, { user, t }) => {
  await renameAgent(deps(), user, input);
  return done(t('agents.renamed'));
});

export const avatarAction = adminAction(avatarSchema, async (input, { user, t }) => {
  const data = new Uint8Array(await input.avatar.arrayBuffer());
  await changeAgentAvatar(deps(), user, { agentId: input.agentId, file: { data, type: input.avatar.type, name: input.avatar.name } });
  return done(t('agents.avatarChanged'));
});

export const removeAction = adminAction(agentOnlySchema, async (input, { user, t }) => {
  await removeAgent(deps(), user, input);
  return done(t('agents.removed'));
});

export const setOpenidAction = adminAction(openidSchema, async (input, { user, t }) => {
  await setAgentOpenid(deps(), user, { ...input, sandbox: sandboxAvailable() });
  return done(t('agents.openidSaved'));
});

export const clearOpenidAction = adminAction(agentOnlySchema, async (input, { user, t }) => {
  await clearAgentOpenid(deps(), user, input);
  return done(t('agents.unbound'));
});

export interface BindingOfferView {
  bindingId: number;
  expiresAt: string;
  code?: string;
  qrImage?: string;
}

export async function offerBindingAction(kind: 'qr' | 'code', rawAgentId: number) {
  return consoleCall('admin', async ({ user }) => {
    const id = agentId.parse(rawAgentId);
    const offer = kind === 'qr' ? await offerQrBinding(deps(), user, { agentId: id }) : await offerCodeBinding(deps(), user, { agentId: id });
    return { bindingId: offer.bindingId, expiresAt: offer.expiresAt.toISOString(), code: offer.code, qrImage: offer.qrImage } satisfies BindingOfferView;
  });
}

export async function bindingStateAction(bindingId: number) {
  return consoleCall('admin', async (): Promise<BindingState> => {
    const state = await readBindingState(deps(), { bindingId: agentId.parse(bindingId) });
    if (state === 'bound') revalidatePath('/agents');
    return state;
  });
}


