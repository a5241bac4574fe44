// The live page's read model: who waits (in queue order), who is being served (by agent), the agents
// and today's counters. One call, a few indexed statements; the page refetches it whenever the live
// channel says something changed, so it must stay cheap with a long history behind it.
import 'server-only';
import { and, asc, count, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agents, customerSessions, followers } from '../schema';
import { activeChatsOfAgent, agentGrantColumns, alertReadiness } from './agents';
import { isStillWaiting, SESSION_END_REASON } from './session-rules';

/** The page shows this many of each list; the counters still count everyone. */
export const LIVE_LIST_LIMIT = 200;

export interface WaitingEntry {
  sessionId: number;
  openid: string;
  /** What staff call the follower (followers.remark), null when nobody named them. */
  remark: string | null;
  queuedAt: Date;
  waitExpiresAt: Date | null;
  /** The follower's last message or event (followers.last_interaction_at). */
  lastMessageAt: Date | null;
  /** Set when the follower's messages are routed to one agent (pinned). */
  kfAccount: string | null;
}

export interface ActiveEntry {
  sessionId: number;
  openid: string;
  remark: string | null;
  kfAccount: string | null;
  startedAt: Date | null;
  lastMessageAt: Date | null;
}

export interface LiveAgent {
  kfAccount: string;
  nickname: string;
  online: boolean;
  /** Sessions they hold now, by wekf's own record (current to the last event, every one counted). */
  activeChats: number;
  onlineCheckedAt: Date | null;
  /** Whether a queue alert could reach them now (alertReadiness): the page warns when none can. */
  alertable: boolean;
}

export interface LiveCounters {
  waiting: number;
  active: number;
  oldestQueuedAt: Date | null;
  servedToday: number;
  expiredToday: number;
}

export interface LiveQueue {
  waiting: WaitingEntry[];
  active: ActiveEntry[];
  agents: LiveAgent[];
  counters: LiveCounters;
}

export async function readLiveQueue(db: DbOrTx, params: { now: Date; startOfToday: Date }): Promise<LiveQueue> {
  const [waiting, active, agentRows, counters] = await Promise.all([
    listWaiting(db, params.now),
    listActive(db),
    listLiveAgents(db, params.now),
    readCounters(db, params),
  ]);
  return { waiting, active, agents: agentRows, counters };
}

async function listWaiting(db: DbOrTx, now: Date): Promise<WaitingEntry[]> {
  // customer_sessions_status_queued_idx serves the order; followers is joined by primary key.
  return db
    .select({
      sessionId: customerSessions.id,
      openid: customerSessions.openid,
      remark: followers.remark,
      queuedAt: customerSessions.queuedAt,
      waitExpiresAt: customerSessions.waitExpiresAt,
      lastMessageAt: followers.lastInteractionAt,
      kfAccount: customerSessions.kfAccount,
    })
    .from(customerSessions)
    .leftJoin(followers, eq(followers.openid, customerSessions.openid))
    .where(isStillWaiting(now))
    .orderBy(asc(customerSessions.queuedAt), asc(customerSessions.id))
    .limit(LIVE_LIST_LIMIT);
}

async function listActive(db: DbOrTx): Promise<ActiveEntry[]> {
  return db
    .select({
      sessionId: customerSessions.id,
      openid: customerSessions.openid,
      remark: followers.remark,
      kfAccount: customerSessions.kfAccount,
      startedAt: customerSessions.startedAt,
      lastMessageAt: followers.lastInteractionAt,
    })
    .from(customerSessions)
    .leftJoin(followers, eq(followers.openid, customerSessions.openid))
    .where(eq(customerSessions.status, 'active'))
    .orderBy(asc(customerSessions.kfAccount), asc(customerSessions.startedAt), asc(customerSessions.id))
    .limit(LIVE_LIST_LIMIT);
}

export async function listLiveAgents(db: DbOrTx, now: Date): Promise<LiveAgent[]> {
  const rows = await db
    .select({
      kfAccount: agents.kfAccount,
      nickname: agents.nickname,
      online: agents.online,
      activeChats: activeChatsOfAgent(),
      onlineCheckedAt: agents.onlineCheckedAt,
      kfOpenid: agents.kfOpenid,
      ...agentGrantColumns,
    })
    .from(agents)
    .leftJoin(followers, eq(followers.openid, agents.kfOpenid))
    .where(eq(agents.status, 'active'))
    .orderBy(sql`${agents.online} desc`, asc(agents.nickname), asc(agents.kfAccount));
  return rows.map(({ kfAccount, nickname, online, activeChats, onlineCheckedAt, ...grants }) => ({
    kfAccount,
    nickname,
    online,
    activeChats,
    onlineCheckedAt,
    alertable: alertReadiness(grants, now) === 'ready',
  }));
}

async function readCounters(db: DbOrTx, params: { now: Date; startOfToday: Date }): Promise<LiveCounters> {
  const [open] = await db
    .select({
      waiting: sql<number>`count(*) filter (where ${isStillWaiting(params.now)})`.mapWith(Number),
      active: sql<number>`count(*) filter (where ${customerSessions.status} = 'active')`.mapWith(Number),
      oldestQueuedAt: sql<Date | null>`min(${customerSessions.queuedAt}) filter (where ${isStillWaiting(params.now)})`.mapWith(
        (v: string | Date | null) => (v === null ? null : new Date(v)),
      ),
    })
    .from(customerSessions)
    .where(inArray(customerSessions.status, ['waiting', 'active']));
  // customer_sessions_started_at_idx and customer_sessions_ended_at_idx keep these to today's rows.
  const [served] = await db.select({ n: count() }).from(customerSessions).where(gte(customerSessions.startedAt, params.startOfToday));
  const [expired] = await db
    .select({ n: count() })
    .from(customerSessions)
    .where(and(gte(customerSessions.endedAt, params.startOfToday), eq(customerSessions.endReason, SESSION_END_REASON.waitExpired)));
  return {
    waiting: open?.waiting ?? 0,
    active: open?.active ?? 0,
    oldestQueuedAt: open?.oldestQueuedAt ?? null,
    servedToday: served?.n ?? 0,
    expiredToday: expired?.n ?? 0,
  };
}

/** The open session of one follower, for a console action to check before it calls WeChat. */
export async function findOpenSessionById(db: DbOrTx, params: { sessionId: number }) {
  const [row] = await db
    .select({
      id: customerSessions.id,
      openid: customerSessions.openid,
      status: customerSessions.status,
      kfAccount: customerSessions.kfAccount,
    })
    .from(customerSessions)
    .where(and(eq(customerSessions.id, params.sessionId), inArray(customerSessions.status, ['waiting', 'active'])));
  return row;
}

/**
 * An agent's presence as WeChat reports it (getonlinekflist). The sandbox sets it the moment its fake
 * agent goes on or offline; otherwise the online-status job of issue 15 keeps it.
 */
export async function setAgentPresence(db: DbOrTx, params: { kfAccount: string; online: boolean; now: Date }): Promise<void> {
  await db
    .update(agents)
    .set({ online: params.online, onlineCheckedAt: params.now, updatedAt: params.now })
    .where(eq(agents.kfAccount, params.kfAccount));
}
