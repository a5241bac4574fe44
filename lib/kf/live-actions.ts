// What staff do from the live page: hand a waiting follower to an agent, close a session, drop a
// follower from the queue. Assign and close go through WeChat (kfsession/create, /close), which then
// pushes kf_create_session / kf_close_session to the webhook like any session change made in
// WeChat's own tool, so the greeting, the closing text and the session row follow one path. Each
// action is audited; WeChat's refusals come back as DomainErrors the page shows in its language.
import 'server-only';
import type { Db } from '@/db/client';
import { CHANNEL, notify } from '@/db/listen';
import { markAgentOffline } from '@/db/queries/agents';
import { recordAudit } from '@/db/queries/audit-log';
import { dropWaitingSession, markClosingByStaff } from '@/db/queries/customer-sessions';
import { findOpenSessionById } from '@/db/queries/live-queue';
import { recordSessionAssigned } from '@/db/queries/session-timeline';
import { DomainError } from '@/lib/errors';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';
import type { KfApi } from '@/lib/wechat/kf-api';

interface Actor {
  id: number;
}

/** WeChat's errcode for a call naming an agent not signed in to its customer-service tool. */
const AGENT_OFFLINE = 65415;

export async function assignWaitingFollower(
  db: Db,
  kf: KfApi,
  actor: Actor,
  params: { sessionId: number; kfAccount: string },
): Promise<void> {
  const session = await findOpenSessionById(db, { sessionId: params.sessionId });
  if (session?.status !== 'waiting') throw new DomainError('live.notWaiting');
  const at = new Date();
  await callWechat(() => kf.createSession({ kfAccount: params.kfAccount, openid: session.openid })).catch(async (error: unknown) => {
    // Offline in WeChat's tool, though the last look (a minute or two ago) said online: the agents'
    // lists say so now, so the dialog offers them as offline next time.
    if (error instanceof DomainError && error.cause instanceof WechatApiError && error.cause.errcode === AGENT_OFFLINE) {
      await db.transaction(async (tx) => {
        await markAgentOffline(tx, { kfAccount: params.kfAccount, now: at });
        await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'online' }));
      });
    }
    // No answer in time (WeChat may have made the assignment), or refused: the attempt is on record.
    const outcome = attemptOutcome(error);
    if (outcome) await recordAudit(db, { userId: actor.id, action: 'live.assign', target: `session:${session.id}`, detail: `kf_account=${params.kfAccount} ${outcome}` });
    throw error;
  });
  // The session's page says who assigned it; WeChat's accept event only names the agent.
  await recordSessionAssigned(db, { sessionId: session.id, kfAccount: params.kfAccount, userId: actor.id, at });
  await recordAudit(db, { userId: actor.id, action: 'live.assign', target: `session:${session.id}`, detail: `kf_account=${params.kfAccount}` });
}

/** The call reached WeChat, which gave no answer in time: it may have acted (the page says so). */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'live.wechatNoAnswer';
}

/**
 * How a failed call goes on record: `outcome=unknown` (no answer in time), `outcome=refused
 * errcode=…` (WeChat said no: someone tried, and a lead can see why it did not happen); nothing for
 * a call that never reached WeChat.
 */
function attemptOutcome(error: unknown): string | undefined {
  if (outcomeUnknown(error)) return 'outcome=unknown';
  if (error instanceof DomainError && error.cause instanceof WechatApiError) return `outcome=refused errcode=${error.cause.errcode}`;
  return undefined;
}

export async function closeLiveSession(db: Db, kf: KfApi, actor: Actor, params: { sessionId: number }): Promise<void> {
  const session = await findOpenSessionById(db, { sessionId: params.sessionId });
  if (session?.status !== 'active' || !session.kfAccount) throw new DomainError('live.notActive');
  const kfAccount = session.kfAccount;
  // Marked before WeChat is asked: its kf_close_session may reach the webhook before this call returns,
  // and the close it records then says staff did it.
  await markClosingByStaff(db, { id: session.id, userId: actor.id });
  try {
    await callWechat(() => kf.closeSession({ kfAccount, openid: session.openid }));
  } catch (error) {
    // Left marked when WeChat may have closed it: its close event, if it comes, is then staff's.
    if (!outcomeUnknown(error)) await markClosingByStaff(db, { id: session.id, userId: null });
    const outcome = attemptOutcome(error);
    if (outcome) await recordAudit(db, { userId: actor.id, action: 'live.close', target: `session:${session.id}`, detail: `kf_account=${kfAccount} ${outcome}` });
    throw error;
  }
  await recordAudit(db, { userId: actor.id, action: 'live.close', target: `session:${session.id}`, detail: `kf_account=${kfAccount}` });
}

/**
 * Ends a waiting follower's session `dropped_by_staff`. WeChat has no call to take someone out of its
 * waiting list; without an open session here their next message gets the hint, not an agent.
 */
export async function dropWaitingFollower(db: Db, actor: Actor, params: { sessionId: number }, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const dropped = await dropWaitingSession(tx, { id: params.sessionId, userId: actor.id, now });
    if (!dropped) throw new DomainError('live.notWaiting');
    await recordAudit(tx, { userId: actor.id, action: 'live.drop', target: `session:${params.sessionId}` });
  });
}

async function callWechat(call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof WechatApiError) {
      throw new DomainError('live.wechatRefused', { zh: error.meaning.zh, en: error.meaning.en, code: error.errcode }, { cause: error });
    }
    if (error instanceof WechatNetworkError) {
      throw new DomainError(error.maybeDelivered ? 'live.wechatNoAnswer' : 'live.wechatUnreachable', {}, { cause: error });
    }
    throw error;
  }
}
