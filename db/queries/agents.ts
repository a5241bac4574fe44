// Agents: WeChat's customer-service accounts as wekf keeps them. A sync writes WeChat's fields and
// never kf_openid (wekf's own); an account gone from WeChat becomes `removed`, never deleted, so its
// sessions keep their history.
import 'server-only';
import { and, asc, eq, inArray, lt, ne, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agents, customerSessions, followers } from '../schema';

export type Agent = typeof agents.$inferSelect;
export type AgentStatus = Agent['status'];

export async function findAgentNickname(tx: DbOrTx, params: { kfAccount: string }): Promise<string | undefined> {
  const [row] = await tx.select({ nickname: agents.nickname }).from(agents).where(eq(agents.kfAccount, params.kfAccount));
  return row?.nickname;
}

export async function findAgent(tx: DbOrTx, params: { id: number }): Promise<Agent | undefined> {
  const [row] = await tx.select().from(agents).where(eq(agents.id, params.id));
  return row;
}

export async function findAgentByAccount(tx: DbOrTx, params: { kfAccount: string }): Promise<Agent | undefined> {
  const [row] = await tx.select().from(agents).where(eq(agents.kfAccount, params.kfAccount));
  return row;
}

/** Every agent, removed ones last; an account has at most 100 (WeChat's limit), so no paging. */
export async function listAgents(tx: DbOrTx): Promise<Agent[]> {
  return tx
    .select()
    .from(agents)
    .orderBy(sql`${agents.status} = 'removed'`, asc(agents.createdAt), asc(agents.id));
}

export type AlertReadiness = 'ready' | 'no_openid' | 'window_closed' | 'used_up';

export interface AgentRow extends Agent {
  /** Whether WeChat lets wekf message this agent now (their 48-hour window, PROTOCOL.md §6.7). */
  alerts: AlertReadiness;
  /** Sessions they hold now, by wekf's own record (current to the last event, as on the Live page). */
  activeChats: number;
}

/**
 * For a select from `agents`: the sessions the agent holds now, by wekf's record
 * (customer_sessions_agent_status_queued_idx). The outer column is written out whole: Drizzle leaves
 * a lone table's columns unqualified, which inside this subquery would name customer_sessions' own.
 */
export function activeChatsOfAgent() {
  return sql<number>`(select count(*) from ${customerSessions} as cs where cs.kf_account = "agents"."kf_account" and cs.status = 'active')`.mapWith(Number);
}

/**
 * The Agents page: every agent with whether a queue alert could reach them right now: inside the
 * 48-hour window a message to the account opens, or the minute a scan or a follow opens (the QR
 * binding's scan is one), with sends left.
 */
export async function listAgentsForConsole(tx: DbOrTx, params: { now: Date }): Promise<AgentRow[]> {
  const rows = await tx
    .select({ agent: agents, ...agentGrantColumns, activeChats: activeChatsOfAgent() })
    .from(agents)
    .leftJoin(followers, eq(followers.openid, agents.kfOpenid))
    .orderBy(sql`${agents.status} = 'removed'`, asc(agents.createdAt), asc(agents.id));
  return rows.map(({ agent, activeChats, ...grants }) => ({ ...agent, alerts: alertReadiness({ kfOpenid: agent.kfOpenid, ...grants }, params.now), activeChats }));
}

/** The agent's own follower row's grants, as the queries above join them (null: no such row). */
export const agentGrantColumns = {
  sendsLeft: followers.messageSendsLeft,
  windowEndsAt: followers.messageGrantExpiresAt,
  eventSendsLeft: followers.eventSendsLeft,
  eventWindowEndsAt: followers.eventGrantExpiresAt,
  subscribed: followers.subscribed,
};

/** Whether a queue alert could reach the agent at `now`, from their openid and their follower row's grants. */
export function alertReadiness(
  row: { kfOpenid: string | null; sendsLeft: number | null; windowEndsAt: Date | null; eventSendsLeft: number | null; eventWindowEndsAt: Date | null; subscribed: boolean | null },
  now: Date,
): AlertReadiness {
  const open = (endsAt: Date | null) => endsAt !== null && endsAt > now;
  if (!row.kfOpenid) return 'no_openid';
  if (row.subscribed === false) return 'window_closed';
  if (open(row.eventWindowEndsAt) && (row.eventSendsLeft ?? 0) > 0) return 'ready';
  if (!open(row.windowEndsAt)) return 'window_closed';
  if ((row.sendsLeft ?? 0) <= 0) return 'used_up';
  return 'ready';
}

/** For tests and seeding: one agent as given, replacing what is stored under its kf_account. */
export async function upsertAgent(
  tx: DbOrTx,
  params: { kfAccount: string; nickname: string; status: AgentStatus; kfOpenid?: string | null; kfWx?: string | null },
): Promise<void> {
  await tx
    .insert(agents)
    .values(params)
    .onConflictDoUpdate({
      target: agents.kfAccount,
      set: { nickname: params.nickname, status: params.status, kfOpenid: params.kfOpenid, kfWx: params.kfWx, updatedAt: new Date() },
    });
}

/** What WeChat says of one account (getkflist), already mapped to wekf's status. */
export interface SyncedAccount {
  kfAccount: string;
  nickname: string;
  kfId: string;
  avatarUrl: string | null;
  kfWx: string | null;
  inviteWx: string | null;
  inviteExpiresAt: Date | null;
  status: Exclude<AgentStatus, 'removed'>;
}

export interface SyncCounts {
  added: number;
  updated: number;
  removed: number;
}

/**
 * Write WeChat's list: new accounts added, known ones updated (WeChat's fields only), and agents
 * WeChat no longer lists marked removed — except those changed since `listedAt` (created in the
 * console while the list was being fetched), which the list cannot speak for.
 */
export async function applyAccountList(tx: DbOrTx, params: { accounts: SyncedAccount[]; listedAt: Date; now: Date }): Promise<SyncCounts> {
  const { accounts: listed, now } = params;
  const before = new Map((await tx.select().from(agents)).map((a) => [a.kfAccount, a]));
  let added = 0;
  let updated = 0;
  for (const account of listed) {
    const known = before.get(account.kfAccount);
    if (!known) added += 1;
    else if (differs(known, account)) updated += 1;
    else continue;
    // WeChat showing an invitation or a bound worker settles an earlier failed invite.
    const settlesInviteError = account.status !== 'uninvited';
    await tx
      .insert(agents)
      .values({ ...account, syncedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: agents.kfAccount,
        set: {
          nickname: account.nickname,
          kfId: account.kfId,
          avatarUrl: account.avatarUrl,
          kfWx: account.kfWx,
          inviteWx: account.inviteWx,
          inviteExpiresAt: account.inviteExpiresAt,
          status: account.status,
          removedAt: null,
          syncedAt: now,
          updatedAt: now,
          ...(settlesInviteError ? { inviteErrcode: null, inviteError: null } : {}),
        },
      });
  }
  const listedNames = listed.map((a) => a.kfAccount);
  await tx
    .update(agents)
    .set({ syncedAt: now })
    .where(listedNames.length ? inArray(agents.kfAccount, listedNames) : sql`false`);
  const gone = await tx
    .update(agents)
    .set({ status: 'removed', removedAt: now, online: false, updatedAt: now })
    .where(
      and(
        ne(agents.status, 'removed'),
        lt(agents.updatedAt, params.listedAt),
        listedNames.length ? notInArray(agents.kfAccount, listedNames) : undefined,
      ),
    )
    .returning({ id: agents.id });
  return { added, updated, removed: gone.length };
}

function differs(known: Agent, account: SyncedAccount): boolean {
  return (
    known.nickname !== account.nickname ||
    known.kfId !== account.kfId ||
    known.avatarUrl !== account.avatarUrl ||
    known.kfWx !== account.kfWx ||
    known.inviteWx !== account.inviteWx ||
    (known.inviteExpiresAt?.getTime() ?? null) !== (account.inviteExpiresAt?.getTime() ?? null) ||
    known.status !== account.status
  );
}

/**
 * getonlinekflist: who is signed in to WeChat's tool now; everyone else offline. (Its count of each
 * one's cases is not kept: the console counts them from wekf's sessions, current to the last event.)
 */
export async function applyOnlineList(tx: DbOrTx, params: { online: { kfAccount: string }[]; now: Date }): Promise<void> {
  const names = params.online.map((o) => o.kfAccount);
  await tx
    .update(agents)
    .set({ online: false, onlineCheckedAt: params.now })
    .where(names.length ? notInArray(agents.kfAccount, names) : undefined);
  if (names.length) await tx.update(agents).set({ online: true, onlineCheckedAt: params.now }).where(inArray(agents.kfAccount, names));
}

/** WeChat said, refusing a call for this agent, that they are not signed in to its tool. */
export async function markAgentOffline(tx: DbOrTx, params: { kfAccount: string; now: Date }): Promise<void> {
  await tx.update(agents).set({ online: false, onlineCheckedAt: params.now }).where(eq(agents.kfAccount, params.kfAccount));
}

/** A console-created agent, before or after WeChat has heard of it. */
export async function insertAgent(
  tx: DbOrTx,
  params: { kfAccount: string; nickname: string; inviteWx: string | null; status: AgentStatus; now: Date },
): Promise<Agent> {
  const [row] = await tx
    .insert(agents)
    .values({ ...params, createdAt: params.now, updatedAt: params.now })
    .onConflictDoUpdate({
      // A removed agent's kf_account created anew starts over, keeping its id (and history).
      target: agents.kfAccount,
      set: { nickname: params.nickname, inviteWx: params.inviteWx, status: params.status, kfWx: null, removedAt: null, updatedAt: params.now },
      setWhere: eq(agents.status, 'removed'),
    })
    .returning();
  if (!row) throw new Error(`agent ${params.kfAccount} already exists`);
  return row;
}

export async function updateAgent(
  tx: DbOrTx,
  params: { id: number; now: Date; set: Partial<Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>> },
): Promise<Agent | undefined> {
  const [row] = await tx
    .update(agents)
    .set({ ...params.set, updatedAt: params.now })
    .where(eq(agents.id, params.id))
    .returning();
  return row;
}

/** Another agent already inviting or bound to this WeChat ID (WeChat would refuse with 65407/65408). */
/** An agent (not removed) already called `nickname`, other than `exceptId`. */
export async function findAgentByNickname(tx: DbOrTx, params: { nickname: string; exceptId?: number }): Promise<Agent | undefined> {
  const [row] = await tx
    .select()
    .from(agents)
    .where(and(ne(agents.status, 'removed'), eq(agents.nickname, params.nickname), params.exceptId === undefined ? undefined : ne(agents.id, params.exceptId)))
    .limit(1);
  return row;
}

export async function findAgentByWorkerWx(tx: DbOrTx, params: { wx: string; exceptId?: number }): Promise<Agent | undefined> {
  const [row] = await tx
    .select()
    .from(agents)
    .where(
      and(
        ne(agents.status, 'removed'),
        sql`(${agents.kfWx} = ${params.wx} or (${agents.inviteWx} = ${params.wx} and ${agents.status} = 'invited'))`,
        params.exceptId === undefined ? undefined : ne(agents.id, params.exceptId),
      ),
    );
  return row;
}

/** The agent bound to this openid, if any (one openid binds one agent). */
export async function findAgentByOpenid(tx: DbOrTx, params: { openid: string }): Promise<Agent | undefined> {
  const [row] = await tx
    .select()
    .from(agents)
    .where(and(eq(agents.kfOpenid, params.openid), ne(agents.status, 'removed')));
  return row;
}
