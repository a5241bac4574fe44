// Binding an agent's openid, which queue alerts are sent to. WeChat never tells us which follower is
// which agent, so the agent proves it: by scanning a one-time QR code (a SCAN or subscribe event
// carrying our scene), by sending a one-time code 「绑定 123456」, or staff type it in. The webhook
// half runs inside the transaction that claimed the push, so WeChat's retries bind once.
import 'server-only';
import { randomBytes, randomInt } from 'node:crypto';
import { renderSVG } from 'uqr';
import type { Tx } from '@/db/client';
import { findAgent, findAgentByOpenid, updateAgent, type Agent } from '@/db/queries/agents';
import { findBinding, insertBinding, recentCodeFailures, recordCodeFailure, spendBinding, type AgentBinding } from '@/db/queries/agent-bindings';
import { recordAudit } from '@/db/queries/audit-log';
import { findFollower, recordInteraction } from '@/db/queries/followers';
import { CHANNEL, notify } from '@/db/listen';
import { countSessionsOf } from '@/db/queries/customer-sessions';
import { DomainError } from '@/lib/errors';
import type { InboundMessage } from '@/lib/wechat/messages';
import type { AgentDeps } from './agents';
import type { KfSettings } from './settings';
import { renderText } from './texts';

export const BINDING_TTL_MS = 10 * 60_000;
/** Wrong codes from one openid within CODE_WINDOW_MS that lock it out for CODE_LOCK_MS. */
export const CODE_MAX_FAILURES = 5;
export const CODE_WINDOW_MS = 10 * 60_000;
export const CODE_LOCK_MS = 10 * 60_000;

/** 「绑定 123456」, 「绑定123456」 or "bind 123456": the only texts taken before keyword routing. */
const BIND_TEXT = /^\s*(?:绑定|bind)\s*([0-9]{6})\s*$/i;
/** Our QR scenes start so, which tells them from the account's other parametric QR codes. */
const SCENE_PREFIX = 'wekf_bind_';
/** An openid is 28 characters of base64url in practice; allow some room around that. */
export const OPENID_SHAPE = /^[A-Za-z0-9_-]{20,64}$/;
/** The fake WeChat's openids are shorter (sbx_ and a name, o_alice): in sandbox mode, any such token. */
const SANDBOX_OPENID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function bindingCodeOf(message: InboundMessage): string | undefined {
  if (message.MsgType !== 'text' || typeof (message as { Content?: unknown }).Content !== 'string') return undefined;
  return BIND_TEXT.exec((message as { Content: string }).Content)?.[1];
}

/** A scan of one of our codes: SCAN carries the scene, a follow by scan `qrscene_` + the scene. */
export function bindingSceneOf(message: InboundMessage): string | undefined {
  const m = message as { Event?: unknown; EventKey?: unknown };
  if (typeof m.EventKey !== 'string') return undefined;
  const scene = m.Event === 'subscribe' ? m.EventKey.replace(/^qrscene_/, '') : m.Event === 'SCAN' ? m.EventKey : '';
  return scene.startsWith(SCENE_PREFIX) ? scene : undefined;
}

interface WebhookBinding {
  tx: Tx;
  openid: string;
  now: Date;
  settings: KfSettings;
}

/** The reply to 「绑定 <code>」: bound, or why not. Five wrong codes in ten minutes lock the sender out. */
export async function bindByCode(ctx: WebhookBinding & { code: string }): Promise<string> {
  // A message like any other: it opens WeChat's 48-hour window for alerting this agent.
  await recordInteraction(ctx.tx, { openid: ctx.openid, trigger: 'message', now: ctx.now });
  const lockedFor = await lockedMinutes(ctx);
  if (lockedFor > 0) return renderText(ctx.settings, 'bindLocked', { minutes: lockedFor });
  const agent = await spendBinding(ctx.tx, { kind: 'code', secret: ctx.code, openid: ctx.openid, now: ctx.now });
  if (!agent) {
    await recordCodeFailure(ctx.tx, { openid: ctx.openid, at: ctx.now });
    const nowLocked = await lockedMinutes(ctx);
    return nowLocked > 0 ? renderText(ctx.settings, 'bindLocked', { minutes: nowLocked }) : renderText(ctx.settings, 'bindInvalid');
  }
  await bindOpenid(ctx.tx, { agentId: agent.agentId, openid: ctx.openid, source: 'code', now: ctx.now, actorId: null });
  return renderText(ctx.settings, 'bindOk', { agent: agent.nickname, kfAccount: agent.kfAccount });
}

/** The reply to a scan of our QR code, or undefined when the scene is not (or no longer) one. */
export async function bindByScene(ctx: WebhookBinding & { scene: string }): Promise<string> {
  const agent = await spendBinding(ctx.tx, { kind: 'qr', secret: ctx.scene, openid: ctx.openid, now: ctx.now });
  if (!agent) return renderText(ctx.settings, 'bindInvalid');
  await bindOpenid(ctx.tx, { agentId: agent.agentId, openid: ctx.openid, source: 'qr', now: ctx.now, actorId: null });
  return renderText(ctx.settings, 'bindOk', { agent: agent.nickname, kfAccount: agent.kfAccount });
}

/** Minutes left of a lock-out (0 when none): the fifth of five wrong codes within the window, plus the lock. */
async function lockedMinutes(ctx: WebhookBinding): Promise<number> {
  const since = new Date(ctx.now.getTime() - CODE_WINDOW_MS - CODE_LOCK_MS);
  const failures = await recentCodeFailures(ctx.tx, { openid: ctx.openid, since, limit: CODE_MAX_FAILURES });
  if (failures.length < CODE_MAX_FAILURES) return 0;
  const [newest, oldest] = [failures[0]!, failures[CODE_MAX_FAILURES - 1]!];
  if (newest.getTime() - oldest.getTime() > CODE_WINDOW_MS) return 0;
  const left = newest.getTime() + CODE_LOCK_MS - ctx.now.getTime();
  return left > 0 ? Math.ceil(left / 60_000) : 0;
}

/**
 * Bind an openid to an agent. One openid alerts one agent: binding it elsewhere moves it (the person
 * took another account), and the move is in the audit log.
 */
async function bindOpenid(
  tx: Tx,
  params: { agentId: number; openid: string; source: 'typed' | 'qr' | 'code'; now: Date; actorId: number | null },
): Promise<void> {
  const previous = await findAgentByOpenid(tx, { openid: params.openid });
  if (previous && previous.id !== params.agentId) {
    await updateAgent(tx, { id: previous.id, now: params.now, set: { kfOpenid: null, kfOpenidSource: null } });
  }
  const before = await findAgent(tx, { id: params.agentId });
  await updateAgent(tx, { id: params.agentId, now: params.now, set: { kfOpenid: params.openid, kfOpenidSource: params.source } });
  await recordAudit(tx, {
    userId: params.actorId,
    action: 'agent.bind',
    target: before?.kfAccount,
    detail: `kf_openid: ${before?.kfOpenid ?? '—'} → ${params.openid} (${params.source})${previous && previous.id !== params.agentId ? `, moved from ${previous.kfAccount}` : ''}`,
  });
  await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'bound', agentId: params.agentId }));
}

// --- The console's half ----------------------------------------------------------------------------

interface Actor {
  id: number;
}

export interface BindingOffer {
  bindingId: number;
  expiresAt: Date;
  /** A code to send as 「绑定 <code>」, or a QR code as an SVG data URL. */
  code?: string;
  qrImage?: string;
}

async function bindableAgent(deps: AgentDeps, agentId: number): Promise<Agent> {
  const agent = await findAgent(deps.database.db, { id: agentId });
  if (!agent || agent.status === 'removed') throw new DomainError('error.notFound');
  return agent;
}

/**
 * A temporary QR code (10 minutes, one-time scene). Rendered here from WeChat's content URL, so the
 * browser never fetches from WeChat and the ticket stays on the server (PROTOCOL.md §6.8).
 * Subscription accounts lack the API (48001): the page then offers the code.
 */
export async function offerQrBinding(deps: AgentDeps, actor: Actor, params: { agentId: number }): Promise<BindingOffer> {
  const agent = await bindableAgent(deps, params.agentId);
  const now = (deps.now ?? (() => new Date()))();
  const scene = `${SCENE_PREFIX}${randomBytes(12).toString('hex')}`;
  const qr = await deps.kf.createTempQrcode({ sceneStr: scene, expireSeconds: BINDING_TTL_MS / 1000 });
  const content = qr.url ?? `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`;
  const expiresAt = new Date(now.getTime() + BINDING_TTL_MS);
  const binding = await deps.database.db.transaction(async (tx) => {
    const row = await insertBinding(tx, { agentId: agent.id, kind: 'qr', secret: scene, qrTicket: qr.ticket, expiresAt, createdBy: actor.id, now });
    await recordAudit(tx, { userId: actor.id, action: 'agent.bind.qr', target: agent.kfAccount });
    return row;
  });
  if (!binding) throw new Error('a fresh random scene collided');
  return { bindingId: binding.id, expiresAt, qrImage: `data:image/svg+xml;base64,${Buffer.from(renderSVG(content, { border: 2 })).toString('base64')}` };
}

/** A one-time 6-digit code, valid 10 minutes, for accounts without QR codes. */
export async function offerCodeBinding(deps: AgentDeps, actor: Actor, params: { agentId: number }): Promise<BindingOffer> {
  const agent = await bindableAgent(deps, params.agentId);
  const now = (deps.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + BINDING_TTL_MS);
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const binding = await deps.database.db.transaction(async (tx) => {
      const row = await insertBinding(tx, { agentId: agent.id, kind: 'code', secret: code, expiresAt, createdBy: actor.id, now });
      if (row) await recordAudit(tx, { userId: actor.id, action: 'agent.bind.code', target: agent.kfAccount });
      return row;
    });
    if (binding) return { bindingId: binding.id, expiresAt, code };
  }
  throw new DomainError('agents.codesExhausted');
}

export type BindingState = 'waiting' | 'bound' | 'expired';

/** What the page waiting on a scan or a code shows. */
export function bindingState(binding: AgentBinding | undefined, now: Date): BindingState {
  if (!binding || binding.usedAt) return binding?.usedAt ? 'bound' : 'expired';
  return binding.expiresAt > now ? 'waiting' : 'expired';
}

export async function readBindingState(deps: Pick<AgentDeps, 'database' | 'now'>, params: { bindingId: number }): Promise<BindingState> {
  return bindingState(await findBinding(deps.database.db, { id: params.bindingId }), (deps.now ?? (() => new Date()))());
}

/**
 * Staff typing an agent's openid. It must look like one, not be another agent's, and be a follower
 * wekf has seen who has not asked for customer service — unless confirmed (an agent who has not
 * messaged the account yet, or who has also been served as a customer).
 */
export async function setAgentOpenid(
  deps: AgentDeps,
  actor: Actor,
  params: { agentId: number; openid: string; confirmUnseen: boolean; sandbox?: boolean },
): Promise<void> {
  const agent = await bindableAgent(deps, params.agentId);
  const db = deps.database.db;
  // A follower wekf has seen is an openid whatever its shape; the shape catches a WeChat ID or a
  // nickname pasted instead of one not seen yet.
  const seen = (await findFollower(db, { openid: params.openid })) !== undefined;
  const shape = params.sandbox ? SANDBOX_OPENID_SHAPE : OPENID_SHAPE;
  if (!seen && !shape.test(params.openid)) throw new DomainError('agents.openidShape', {}, { field: 'openid' });
  const other = await findAgentByOpenid(db, { openid: params.openid });
  if (other && other.id !== agent.id) throw new DomainError('agents.openidTaken', { kfAccount: other.kfAccount }, { field: 'openid' });
  if (!params.confirmUnseen && !seen) throw new DomainError('agents.openidUnseen', {}, { field: 'openid' });
  // A customer's openid typed by mistake would get the agents' queue alerts: asked about first.
  const asCustomer = params.confirmUnseen ? 0 : await countSessionsOf(db, { openid: params.openid });
  if (asCustomer > 0) throw new DomainError('agents.openidIsCustomer', { count: asCustomer }, { field: 'openid' });
  const now = (deps.now ?? (() => new Date()))();
  await db.transaction((tx) => bindOpenid(tx, { agentId: agent.id, openid: params.openid, source: 'typed', now, actorId: actor.id }));
}

export async function clearAgentOpenid(deps: AgentDeps, actor: Actor, params: { agentId: number }): Promise<void> {
  const agent = await bindableAgent(deps, params.agentId);
  if (!agent.kfOpenid) return;
  const now = (deps.now ?? (() => new Date()))();
  await deps.database.db.transaction(async (tx) => {
    await updateAgent(tx, { id: agent.id, now, set: { kfOpenid: null, kfOpenidSource: null } });
    await recordAudit(tx, { userId: actor.id, action: 'agent.unbind', target: agent.kfAccount, detail: `kf_openid: ${agent.kfOpenid} → —` });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'bound', agentId: agent.id }));
  });
}
