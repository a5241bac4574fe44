// What wekf does with one push from WeChat, inside the transaction that claimed it. Returns the
// passive reply; anything sent through WeChat's API is queued in the outbox, never sent here.
import type { Tx } from '@/db/client';
import { findAgentNickname, listActiveAgents } from '@/db/queries/agents';
import {
  activateSession,
  closeSession,
  findOpenSession,
  openActiveSession,
  openWaitingSession,
  queuePosition,
  switchSessionAgent,
  type CustomerSession,
} from '@/db/queries/customer-sessions';
import { recordInteraction, recordUnsubscribe } from '@/db/queries/followers';
import { enqueueOutbox, type NewOutboxRow } from '@/db/queries/outbox';
import { isUserMessage, type InboundKind, type InboundMessage, type InboundOf } from '@/lib/wechat/messages';
import { matchesKeyword } from './keywords';
import { OUTBOX_PRIORITY, textPayload } from './outbox-messages';
import { formatOpening, formatSchedule, isOpen, nextOpening } from './service-hours';
import type { KfSettings } from './settings';
import { renderTemplate, type TemplateName } from './templates';

export type FlowReply = { type: 'success' } | { type: 'text'; content: string } | { type: 'transfer'; kfAccount?: string };

export interface FlowContext {
  tx: Tx;
  now: Date;
  settings: KfSettings;
  /** Set when this push queued outbound messages, so the dispatcher is woken only then. */
  queuedOutbound?: boolean;
}

const success: FlowReply = { type: 'success' };

type Handler<K extends InboundKind> = (msg: InboundOf<K>, ctx: FlowContext) => Promise<FlowReply>;
type HandlerTable = { [K in InboundKind]?: Handler<K> };

// Events (never handed to customer service). Anything not listed is acknowledged with `success`.
const eventHandlers: HandlerTable = {
  'event.subscribe': onSubscribe,
  'event.unsubscribe': onUnsubscribe,
  'event.SCAN': grantOnly,
  'event.CLICK': grantOnly,
  'event.kf_create_session': onSessionAccepted,
  'event.kf_switch_session': onSessionSwitched,
  'event.kf_close_session': onSessionClosed,
};

/**
 * For a follower's message that cannot open a session (not the keyword), the reply depends only on
 * their open session, so the webhook can decide it in one statement. Undefined for anything else.
 */
export function plainMessageReplies(
  msg: InboundMessage,
  settings: KfSettings,
): { withoutSession: FlowReply; whileWaiting: FlowReply } | undefined {
  if (!isUserMessage(msg)) return undefined;
  if (msg.kind === 'text' && matchesKeyword(msg.Content, settings.keywords)) return undefined;
  const withoutSession: FlowReply =
    msg.kind === 'text' ? { type: 'text', content: renderTemplate(settings.templates.hint, baseVars(settings)) } : success;
  return { withoutSession, whileWaiting: { type: 'transfer' } };
}

export async function routeInbound(msg: InboundMessage, ctx: FlowContext): Promise<FlowReply> {
  if (isUserMessage(msg)) {
    await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'message', now: ctx.now });
    return onFollowerMessage(msg, ctx);
  }
  const handler = eventHandlers[msg.kind] as Handler<InboundKind> | undefined;
  return handler ? handler(msg as never, ctx) : success;
}

async function onFollowerMessage(msg: InboundMessage, ctx: FlowContext): Promise<FlowReply> {
  const openid = msg.FromUserName;
  const keyword = msg.kind === 'text' ? matchesKeyword(msg.Content, ctx.settings.keywords) : undefined;
  const session = await findOpenSession(ctx.tx, { openid, now: ctx.now });

  // WeChat stops forwarding to the agent after 30 idle minutes; naming the agent puts the
  // follower straight back with them instead of into the general queue.
  if (session?.status === 'active') return { type: 'transfer', kfAccount: session.kfAccount ?? undefined };
  if (session?.status === 'waiting') {
    if (keyword) await enqueueQueueUpdate(session, ctx);
    return { type: 'transfer' };
  }
  if (!keyword) return msg.kind === 'text' ? text(ctx, 'hint') : success;
  return startWaiting(openid, ctx);
}

async function startWaiting(openid: string, ctx: FlowContext): Promise<FlowReply> {
  if (!isOpen(ctx.settings.hours, ctx.now)) return text(ctx, 'offHours');
  const agents = await listActiveAgents(ctx.tx);
  if (agents.length === 0) return text(ctx, 'noAgents');

  const waitExpiresAt = new Date(ctx.now.getTime() + ctx.settings.waitMinutes * 60_000);
  const opened = await openWaitingSession(ctx.tx, { openid, now: ctx.now, waitExpiresAt });
  if (!opened) {
    // A concurrent keyword from the same follower opened it first; behave as if waiting.
    const existing = await findOpenSession(ctx.tx, { openid, now: ctx.now });
    if (existing?.status === 'active') return { type: 'transfer', kfAccount: existing.kfAccount ?? undefined };
    if (existing) await enqueueQueueUpdate(existing, ctx);
    return { type: 'transfer' };
  }
  const { position, count } = await queuePosition(ctx.tx, { session: opened, now: ctx.now });
  const alerts: NewOutboxRow[] = agents.filter((agent) => agent.kfOpenid).map((agent) => ({
    kind: 'agent_alert',
    openid: agent.kfOpenid!,
    priority: OUTBOX_PRIORITY.agentAlert,
    payload: textPayload(render(ctx, 'agentAlert', { count, position })),
  }));
  await send(ctx, [queueUpdateRow(opened, ctx, position, count), ...alerts]);
  return { type: 'transfer' };
}

async function enqueueQueueUpdate(session: CustomerSession, ctx: FlowContext): Promise<void> {
  if (session.status !== 'waiting') return;
  const { position, count } = await queuePosition(ctx.tx, { session, now: ctx.now });
  await send(ctx, [queueUpdateRow(session, ctx, position, count)]);
}

function queueUpdateRow(session: CustomerSession, ctx: FlowContext, position: number, count: number): NewOutboxRow {
  return {
    kind: 'queue_position',
    openid: session.openid,
    priority: OUTBOX_PRIORITY.queuePosition,
    payload: textPayload(render(ctx, 'queue', { position, count }), { whileWaiting: session.id }),
  };
}

async function onSubscribe(msg: InboundOf<'event.subscribe'>, ctx: FlowContext): Promise<FlowReply> {
  await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'event', now: ctx.now });
  return text(ctx, 'welcome');
}

async function onUnsubscribe(msg: InboundOf<'event.unsubscribe'>, ctx: FlowContext): Promise<FlowReply> {
  await recordUnsubscribe(ctx.tx, { openid: msg.FromUserName, now: ctx.now });
  return success;
}

async function grantOnly(msg: InboundOf<'event.SCAN'> | InboundOf<'event.CLICK'>, ctx: FlowContext): Promise<FlowReply> {
  await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'event', now: ctx.now });
  return success;
}

async function onSessionAccepted(msg: InboundOf<'event.kf_create_session'>, ctx: FlowContext): Promise<FlowReply> {
  const openid = msg.FromUserName;
  const session = await findOpenSession(ctx.tx, { openid, now: ctx.now });
  if (session?.status === 'active') return success; // already accepted: nothing new to say
  if (session) await activateSession(ctx.tx, { id: session.id, kfAccount: msg.KfAccount, now: ctx.now });
  // An agent may also start a session with a follower wekf never queued (or whose wait expired).
  else await openActiveSession(ctx.tx, { openid, kfAccount: msg.KfAccount, now: ctx.now });
  const agent = (await findAgentNickname(ctx.tx, { kfAccount: msg.KfAccount })) ?? msg.KfAccount.split('@')[0]!;
  await send(ctx, [
    {
      kind: 'greeting',
      openid,
      priority: OUTBOX_PRIORITY.greeting,
      payload: textPayload(render(ctx, 'greeting', { agent }), { kfAccount: msg.KfAccount }),
    },
  ]);
  return success;
}

async function onSessionSwitched(msg: InboundOf<'event.kf_switch_session'>, ctx: FlowContext): Promise<FlowReply> {
  const session = await findOpenSession(ctx.tx, { openid: msg.FromUserName, now: ctx.now });
  if (session) await switchSessionAgent(ctx.tx, { id: session.id, kfAccount: msg.ToKfAccount, now: ctx.now });
  return success;
}

async function onSessionClosed(msg: InboundOf<'event.kf_close_session'>, ctx: FlowContext): Promise<FlowReply> {
  const session = await findOpenSession(ctx.tx, { openid: msg.FromUserName, now: ctx.now });
  if (!session) return success;
  await closeSession(ctx.tx, { id: session.id, closedBy: msg.KfAccount, now: ctx.now, reason: 'agent_closed' });
  await send(ctx, [
    { kind: 'closing', openid: msg.FromUserName, priority: OUTBOX_PRIORITY.closing, payload: textPayload(render(ctx, 'closing', {})) },
  ]);
  return success;
}

async function send(ctx: FlowContext, rows: NewOutboxRow[]): Promise<void> {
  await enqueueOutbox(ctx.tx, rows);
  if (rows.length > 0) ctx.queuedOutbound = true;
}

// Settings objects are replaced, never changed, so their derived texts can be cached per object.
const baseVarsCache = new WeakMap<KfSettings, Record<string, string>>();

function baseVars(settings: KfSettings): Record<string, string> {
  let vars = baseVarsCache.get(settings);
  if (!vars) {
    vars = { keyword: settings.keywords[0] ?? '', hours: formatSchedule(settings.hours.weekly, 'zh') };
    baseVarsCache.set(settings, vars);
  }
  return vars;
}

function render(ctx: FlowContext, name: TemplateName, vars: Record<string, string | number>): string {
  return renderTemplate(ctx.settings.templates[name], { ...baseVars(ctx.settings), ...vars });
}

function text(ctx: FlowContext, name: TemplateName): FlowReply {
  const vars: Record<string, string> = {};
  if (name === 'offHours') {
    const opening = nextOpening(ctx.settings.hours, ctx.now);
    vars.resume = opening ? formatOpening(opening, ctx.settings.hours.timezone, 'zh') : '';
  }
  return { type: 'text', content: render(ctx, name, vars) };
}
