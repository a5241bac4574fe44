// What wekf does with an event from WeChat (follows, clicks, customer-service session changes),
// inside the transaction that claimed it. Returns the passive reply; anything sent through WeChat's
// API is queued in the outbox, never sent here. Follower messages (texts, images, the keyword) are
// routed by routing.ts.
import 'server-only';
import type { Tx } from '@/db/client';
import { findAgentNickname } from '@/db/queries/agents';
import {
  activateSession,
  closeSession,
  endWaitOnUnfollow,
  findOpenSession,
  hasEventAfterElsewhere,
  hasSessionEventSince,
  openActiveSession,
  overtakenBy,
  resumeEndedWait,
  switchSessionAgent,
} from '@/db/queries/customer-sessions';
import { findFollower, recordInteraction, recordUnsubscribe } from '@/db/queries/followers';
import { enqueueOutbox, type NewOutboxRow } from '@/db/queries/outbox';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { RESUMABLE_WAIT_MS, SESSION_END_REASON } from '@/db/queries/session-rules';
import { latestSwitch, recordSessionSwitch, recordWaitResumed } from '@/db/queries/session-timeline';
import type { InboundKind, InboundMessage, InboundOf } from '@/lib/wechat/messages';
import type { KfSettings } from './settings';
import { bindByScene, bindingSceneOf } from './agent-binding';
import { renderText } from './texts';

export type FlowReply = { type: 'success' } | { type: 'text'; content: string } | { type: 'transfer'; kfAccount?: string };

export interface FlowContext {
  tx: Tx;
  now: Date;
  settings: KfSettings;
  /** Set when this push queued outbound messages, so the dispatcher is woken only then. */
  queuedOutbound?: boolean;
  /** Set when a session event names an agent wekf has not synced (made in WeChat since the last sync). */
  unknownAgent?: boolean;
}

const success: FlowReply = { type: 'success' };

type Handler<K extends InboundKind> = (msg: InboundOf<K>, ctx: FlowContext) => Promise<FlowReply>;
type HandlerTable = { [K in InboundKind]?: Handler<K> };

// Events (never handed to customer service). Anything not listed is acknowledged with `success`.
const eventHandlers: HandlerTable = {
  'event.subscribe': onSubscribe,
  'event.unsubscribe': onUnsubscribe,
  'event.SCAN': onScan,
  'event.CLICK': grantOnly,
  'event.kf_create_session': onSessionAccepted,
  'event.kf_switch_session': onSessionSwitched,
  'event.kf_close_session': onSessionClosed,
};

export async function routeEvent(msg: InboundMessage, ctx: FlowContext): Promise<FlowReply> {
  const handler = eventHandlers[msg.kind] as Handler<InboundKind> | undefined;
  return handler ? handler(msg as never, ctx) : success;
}

async function onSubscribe(msg: InboundOf<'event.subscribe'>, ctx: FlowContext): Promise<FlowReply> {
  await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'event', now: ctx.now });
  // An agent following the account by scanning a binding code hears about the binding, not the welcome.
  const binding = await bindingReply(msg, ctx);
  return { type: 'text', content: binding ?? renderText(ctx.settings, 'welcome') };
}

async function onScan(msg: InboundOf<'event.SCAN'>, ctx: FlowContext): Promise<FlowReply> {
  await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'event', now: ctx.now });
  const binding = await bindingReply(msg, ctx);
  return binding === undefined ? success : { type: 'text', content: binding };
}

/** The reply to a scan of one of our binding QR codes; undefined for any other scene. */
async function bindingReply(msg: InboundMessage, ctx: FlowContext): Promise<string | undefined> {
  const scene = bindingSceneOf(msg);
  if (scene === undefined) return undefined;
  return bindByScene({ tx: ctx.tx, openid: msg.FromUserName, now: ctx.now, settings: ctx.settings, scene });
}

async function onUnsubscribe(msg: InboundOf<'event.unsubscribe'>, ctx: FlowContext): Promise<FlowReply> {
  // An unfollow WeChat made before the follower's latest interaction here (a follow again, a
  // message, a second or more later: CreateTime is in whole seconds) arrived late: they are back.
  const follower = await findFollower(ctx.tx, { openid: msg.FromUserName });
  if (follower?.subscribed && follower.lastInteractionAt !== null && follower.lastInteractionAt.getTime() >= (msg.CreateTime + 1) * 1000) return success;
  await recordUnsubscribe(ctx.tx, { openid: msg.FromUserName, now: ctx.now });
  // Out of the line: the others' places count without them, and no agent is offered someone WeChat
  // lets nobody message.
  await endWaitOnUnfollow(ctx.tx, { openid: msg.FromUserName, now: ctx.now });
  return success;
}

async function grantOnly(msg: InboundOf<'event.CLICK'>, ctx: FlowContext): Promise<FlowReply> {
  await recordInteraction(ctx.tx, { openid: msg.FromUserName, trigger: 'event', now: ctx.now });
  return success;
}

// WeChat's accept, switch and close pushes for one follower can arrive out of order: each is
// applied only if no later one (by WeChat's CreateTime) has been applied to the session already, and
// the session's row is held meanwhile. Reconciliation corrects what is still wrong within minutes;
// this keeps a follower from being greeted after their chat closed, or a session from going back to
// the agent it was switched from.

/** When WeChat made the event: its CreateTime, in seconds. */
function eventTimeOf(msg: InboundOf<'event.kf_create_session' | 'event.kf_switch_session' | 'event.kf_close_session'>): Date {
  return new Date(msg.CreateTime * 1000);
}

async function onSessionAccepted(msg: InboundOf<'event.kf_create_session'>, ctx: FlowContext): Promise<FlowReply> {
  const openid = msg.FromUserName;
  const eventAt = eventTimeOf(msg);
  const open = await findOpenSession(ctx.tx, { openid, now: ctx.now, lock: true });
  if (open?.status === 'active') {
    // Already accepted (or reconciliation found it first): nothing new to say.
    if (open.kfEventAt === null || open.kfEventAt >= eventAt) return success;
    // An accept WeChat made after this chat's latest event starts another chat: the one before has
    // ended, its close still on its way (overtaken when it comes). No closing text: the follower is
    // already talking to the agent who just accepted.
    await closeSession(ctx.tx, { id: open.id, closedBy: open.kfAccount ?? msg.KfAccount, now: ctx.now, reason: SESSION_END_REASON.agentClosed, eventAt });
  }
  // Its session was closed by a later event (the close overtook this accept): nothing to start, nothing to say.
  if (!open && (await hasSessionEventSince(ctx.tx, { openid, eventAt }))) return success;
  const waiting = open?.status === 'waiting' ? open : undefined;
  // An accept of the follower's previous chat, arriving after that chat's close and their new request.
  if (waiting && (await hasEventAfterElsewhere(ctx.tx, { openid, sessionId: waiting.id, eventAt }))) return success;
  // A switch made in the same second or later already names who holds it.
  let kfAccount = msg.KfAccount;
  let sessionId: number | undefined;
  if (waiting) {
    if (waiting.kfAccount !== null && waiting.kfEventAt !== null && waiting.kfEventAt >= eventAt) kfAccount = waiting.kfAccount;
    await activateSession(ctx.tx, { id: waiting.id, kfAccount, now: ctx.now, eventAt });
    sessionId = waiting.id;
  } else {
    // Still in WeChat's waiting list after their wait ended here: that wait was served after all.
    const resumed = await resumeEndedWait(ctx.tx, { openid, kfAccount, now: ctx.now, endedSince: new Date(ctx.now.getTime() - RESUMABLE_WAIT_MS), eventAt });
    if (resumed) await recordWaitResumed(ctx.tx, { sessionId: resumed.id, ...resumed, kfAccount });
    // An agent may also start a session with a follower wekf never queued.
    sessionId = resumed?.id ?? (await openActiveSession(ctx.tx, { openid, kfAccount, now: ctx.now, eventAt }))?.id;
  }
  const agent = await agentNameOf(ctx, kfAccount);
  await send(ctx, [
    {
      kind: 'greeting',
      openid,
      priority: OUTBOX_PRIORITY.greeting,
      payload: textPayload(renderText(ctx.settings, 'greeting', { agent }), { kfAccount, session: sessionId }),
    },
  ]);
  return success;
}

/**
 * How a follower is told an agent's name: the nickname, or (not synced yet, or blank in WeChat) the
 * account's name before @. An agent not synced yet is noted, so the webhook asks for a sync.
 */
async function agentNameOf(ctx: FlowContext, kfAccount: string): Promise<string> {
  const nickname = await findAgentNickname(ctx.tx, { kfAccount });
  if (nickname === undefined) ctx.unknownAgent = true;
  return nickname?.trim() || kfAccount.split('@')[0]!;
}

async function onSessionSwitched(msg: InboundOf<'event.kf_switch_session'>, ctx: FlowContext): Promise<FlowReply> {
  const eventAt = eventTimeOf(msg);
  const session = await findOpenSession(ctx.tx, { openid: msg.FromUserName, now: ctx.now, lock: true });
  if (!session || overtakenBy(session, eventAt)) return success;
  // Not yet accepted here: a switch made before the previous chat's close was that chat's.
  if (session.kfEventAt === null && (await hasEventAfterElsewhere(ctx.tx, { openid: msg.FromUserName, sessionId: session.id, eventAt }))) return success;
  // Two switches in one second tell their order by their chain: the later one hands the session on
  // from whoever holds it. One from someone else, in the same second, came before it.
  const sameSecond = session.kfEventAt !== null && session.kfEventAt.getTime() === eventAt.getTime();
  if (sameSecond && session.kfAccount !== null && session.kfAccount !== msg.FromKfAccount) return success;
  // A pair that hands it there and back (A → B, B → A) arriving reversed: the one applied first in
  // this second handed the session back from whom this one hands it to, so this one came before it.
  if (sameSecond && (await isReversedLink(ctx, session.id, msg))) return success;
  await switchSessionAgent(ctx.tx, { id: session.id, kfAccount: msg.ToKfAccount, now: ctx.now, eventAt });
  // kf_account now names the new agent only; the timeline and metrics need who had it before, as
  // WeChat says (an overtaken switch may have been skipped in between).
  await recordSessionSwitch(ctx.tx, { sessionId: session.id, from: msg.FromKfAccount, to: msg.ToKfAccount, at: ctx.now });
  // The follower hears who has them now, as they heard who took them.
  if (session.status === 'active') {
    const agent = await agentNameOf(ctx, msg.ToKfAccount);
    await send(ctx, [
      {
        kind: 'switched',
        openid: msg.FromUserName,
        priority: OUTBOX_PRIORITY.greeting,
        payload: textPayload(renderText(ctx.settings, 'switched', { agent }), { kfAccount: msg.ToKfAccount, session: session.id }),
      },
    ]);
  }
  return success;
}

async function isReversedLink(ctx: FlowContext, sessionId: number, msg: InboundOf<'event.kf_switch_session'>): Promise<boolean> {
  const last = await latestSwitch(ctx.tx, { sessionId });
  return last !== undefined && last.from === msg.ToKfAccount && last.to === msg.FromKfAccount;
}

async function onSessionClosed(msg: InboundOf<'event.kf_close_session'>, ctx: FlowContext): Promise<FlowReply> {
  const eventAt = eventTimeOf(msg);
  const session = await findOpenSession(ctx.tx, { openid: msg.FromUserName, now: ctx.now, lock: true });
  // Overtaken: the close of an earlier chat, arriving after the follower's next one was accepted.
  if (!session || overtakenBy(session, eventAt)) return success;
  // The same, within one second: a close by someone other than who holds the chat, made in the
  // second its accept was, ended the chat before.
  const sameSecond = session.kfEventAt !== null && session.kfEventAt.getTime() === eventAt.getTime();
  if (sameSecond && session.status === 'active' && session.kfAccount !== null && session.kfAccount !== msg.KfAccount) return success;
  await closeSession(ctx.tx, { id: session.id, closedBy: msg.KfAccount, now: ctx.now, reason: SESSION_END_REASON.agentClosed, eventAt });
  await send(ctx, [
    {
      kind: 'closing',
      openid: msg.FromUserName,
      priority: OUTBOX_PRIORITY.closing,
      // Sent as the agent who closed the chat, as the greeting was sent as who took it.
      payload: textPayload(renderText(ctx.settings, 'closing'), { session: session.id, kfAccount: msg.KfAccount || undefined }),
    },
  ]);
  return success;
}

async function send(ctx: FlowContext, rows: NewOutboxRow[]): Promise<void> {
  await enqueueOutbox(ctx.tx, rows);
  if (rows.length > 0) ctx.queuedOutbound = true;
}
