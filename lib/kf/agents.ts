// Agents, the use cases: learn WeChat's customer-service accounts (sync), and create, invite,
// rename, re-avatar and remove them from the console. WeChat is called outside any transaction and
// never from the webhook's request; what WeChat accepted is written at once, so a failure halfway
// (created, invite refused) leaves a true record with the reason instead of losing the account.
import 'server-only';
import type { Db, DatabaseHandle } from '@/db/client';
import {
  applyAccountList,
  applyOnlineList,
  findAgent,
  findAgentByAccount,
  findAgentByNickname,
  findAgentByWorkerWx,
  insertAgent,
  updateAgent,
  type Agent,
  type SyncCounts,
  type SyncedAccount,
} from '@/db/queries/agents';
import { recordAudit } from '@/db/queries/audit-log';
import { findJobRun } from '@/db/queries/job-runs';
import { log } from '@/lib/log';
import { CHANNEL, notify } from '@/db/listen';
import { DomainError } from '@/lib/errors';
import { runJob, type JobOutcome } from '@/lib/jobs/runner';
import { WechatApiError } from '@/lib/wechat/errors';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { KfAccountInfo } from '@/lib/wechat/kf-types';

export const AGENT_SYNC_JOB = 'agent-sync';
export const ONLINE_STATUS_JOB = 'online-status';

/** WeChat's rules for kf_account and nickname (PROTOCOL.md §6.5) and for a WeChat ID. */
export const KF_PREFIX = /^[A-Za-z0-9_]{1,10}$/;
export const KF_ACCOUNT_MAX = 30;
export const NICKNAME_MAX = 16;
export const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

export interface AgentDeps {
  database: DatabaseHandle;
  kf: KfApi;
  now?: () => Date;
}

interface Actor {
  id: number;
}

const clock = (deps: AgentDeps) => deps.now ?? (() => new Date());

/** getkflist's account as wekf's agent: bound → active; an invitation's state; else not invited. */
export function syncedAccountOf(info: KfAccountInfo): SyncedAccount {
  const status: SyncedAccount['status'] = info.kf_wx
    ? 'active'
    : info.invite_status === 'waiting'
      ? 'invited'
      : info.invite_status === 'rejected'
        ? 'rejected'
        : info.invite_status === 'expired'
          ? 'expired'
          : 'uninvited';
  return {
    kfAccount: info.kf_account,
    nickname: info.kf_nick,
    kfId: String(info.kf_id),
    avatarUrl: info.kf_headimgurl || null,
    kfWx: info.kf_wx || null,
    inviteWx: info.kf_wx ? null : info.invite_wx || null,
    inviteExpiresAt: !info.kf_wx && info.invite_expire_time ? new Date(info.invite_expire_time * 1000) : null,
    status,
  };
}

export interface SyncResult extends SyncCounts {
  accounts: number;
  online: number;
  /** WeChat listed no account, and has not for EMPTY_LIST_BELIEVED_AFTER_MS yet: the known agents were kept. */
  keptOnEmpty?: boolean;
  /** ISO instant of the first of the empty lists in a row. */
  emptySince?: string;
}

/**
 * How long WeChat must keep listing no accounts before wekf believes it. Counted in time, not in
 * syncs: every instance syncs on its own timer (and staff press 「立即同步」), so two syncs in a row
 * can be seconds apart and see the same passing blip.
 */
export const EMPTY_LIST_BELIEVED_AFTER_MS = 5 * 60_000;

const agentsLog = log.child({ module: 'agents' });

/**
 * One sync: WeChat's account list, then who is online. Unlocked: the periodic job holds the job's
 * lock around it; everyone else goes through runAgentSync.
 */
export async function syncAgents(deps: AgentDeps): Promise<SyncResult> {
  const now = clock(deps);
  const listedAt = now();
  const list = await deps.kf.getKfList();
  // An empty list after one that had accounts: WeChat answering empty for a moment is likelier than
  // every account deleted at once, and taken at its word it would tell every follower there is no
  // customer service. The agents stay until WeChat has listed none for EMPTY_LIST_BELIEVED_AFTER_MS.
  if (list.length === 0) {
    const emptySince = emptyListsSince(await lastSyncSummary(deps.database.db), listedAt);
    if (emptySince !== undefined && listedAt.getTime() - Date.parse(emptySince) < EMPTY_LIST_BELIEVED_AFTER_MS) {
      agentsLog.warn({ emptySince }, 'WeChat listed no customer-service accounts; keeping the known agents until it has listed none for 5 minutes');
      return { added: 0, updated: 0, removed: 0, accounts: 0, online: await refreshOnlineOnce(deps), keptOnEmpty: true, emptySince };
    }
  }
  const counts = await deps.database.db.transaction(async (tx) => {
    const counts = await applyAccountList(tx, { accounts: list.map(syncedAccountOf), listedAt, now: now() });
    if (counts.added + counts.updated + counts.removed > 0) await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'synced' }));
    return counts;
  });
  const online = await refreshOnlineOnce(deps);
  return { ...counts, accounts: list.length, online };
}

/**
 * When WeChat began listing no accounts, given an empty list now and the last sync's summary: the
 * start a sync that kept the agents recorded, or now when the last sync listed some; undefined when
 * it listed none either (nothing known to keep).
 */
function emptyListsSince(last: Partial<SyncResult> | undefined, listedAt: Date): string | undefined {
  if (last?.keptOnEmpty && last.emptySince) return last.emptySince;
  return (last?.accounts ?? 0) > 0 ? listedAt.toISOString() : undefined;
}

/** The last successful sync's job_runs summary: how many accounts it was given, and whether it kept them on an empty list. */
async function lastSyncSummary(db: Db): Promise<Partial<SyncResult> | undefined> {
  return ((await findJobRun(db, { name: AGENT_SYNC_JOB }))?.lastSummary as Partial<SyncResult> | null | undefined) ?? undefined;
}

async function refreshOnlineOnce(deps: AgentDeps): Promise<number> {
  const list = await deps.kf.getOnlineKfList();
  // status 1 = signed in to WeChat's web tool; 0 (or anything else) = not taking cases.
  const online = list.filter((o) => o.status === 1).map((o) => ({ kfAccount: o.kf_account }));
  await deps.database.db.transaction(async (tx) => {
    await applyOnlineList(tx, { online, now: clock(deps)() });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'online' }));
  });
  return online.length;
}

/** A sync under the job lock: busy when another instance (or the timer) is syncing right now. */
export function runAgentSync(deps: AgentDeps): Promise<JobOutcome<SyncResult>> {
  return runJob(deps.database, { name: AGENT_SYNC_JOB, run: () => syncAgents(deps), summarize: (r) => r, now: deps.now });
}

export function runOnlineRefresh(deps: AgentDeps): Promise<JobOutcome<number>> {
  return runJob(deps.database, { name: ONLINE_STATUS_JOB, run: () => refreshOnlineOnce(deps), summarize: (n) => ({ online: n }), now: deps.now });
}

/** How fresh online status is kept while someone has the console open (OnlineHeartbeat). */
export const ONLINE_FRESH_MS = 25_000;

/**
 * Online status for an open console page: refreshed from WeChat unless any instance did so within
 * ONLINE_FRESH_MS (the job's lock and its recorded last run). Whether this call refreshed it.
 */
export async function refreshOnlineIfStale(deps: AgentDeps): Promise<boolean> {
  const last = await findJobRun(deps.database.db, { name: ONLINE_STATUS_JOB });
  if (last?.lastStartedAt && clock(deps)().getTime() - last.lastStartedAt.getTime() < ONLINE_FRESH_MS) return false;
  return (await runOnlineRefresh(deps)).ran;
}

/** The console's "Sync now": audited with what changed. */
export async function syncAgentsNow(deps: AgentDeps, actor: Actor): Promise<SyncResult | 'busy'> {
  const outcome = await runAgentSync(deps);
  if (!outcome.ran) return 'busy';
  const r = outcome.value;
  await recordAudit(deps.database.db, {
    userId: actor.id,
    action: 'agent.sync',
    detail: `accounts=${r.accounts} added=${r.added} updated=${r.updated} removed=${r.removed}`,
  });
  return r;
}

// --- Console mutations --------------------------------------------------------------------------

export interface InviteInput {
  prefix: string;
  /** The Official Account's WeChat ID: the part after @ in every kf_account. */
  accountWx: string;
  nickname: string;
  inviteWx: string;
}

export type InviteResult = { agent: Agent; invited: true } | { agent: Agent; invited: false; error: WechatApiError };

/**
 * Create the account in WeChat, then invite its worker. Refused before WeChat is called when the
 * kf_account, the nickname or the invitee is already taken here. When WeChat creates the account
 * but refuses the invitation, the agent is kept as `uninvited` with the reason, for a retry.
 */
export async function inviteAgent(deps: AgentDeps, actor: Actor, input: InviteInput): Promise<InviteResult> {
  const kfAccount = `${input.prefix}@${input.accountWx}`;
  if (kfAccount.length > KF_ACCOUNT_MAX) throw new DomainError('agents.accountTooLong', { max: KF_ACCOUNT_MAX }, { field: 'prefix' });
  const db = deps.database.db;
  const existing = await findAgentByAccount(db, { kfAccount });
  // The same invitation sent again from the form, after WeChat refused the invite of an account it
  // did create (the refusal says to fix the invitee and retry): the account stays, the invite goes.
  if (existing?.status === 'uninvited' && existing.nickname === input.nickname) {
    await refuseTakenWorker(db, input.inviteWx, existing.id);
    return sendInvite(deps, actor, existing, input.inviteWx);
  }
  if (existing && existing.status !== 'removed') throw new DomainError('agents.accountTaken', { kfAccount }, { field: 'prefix' });
  await refuseTakenNickname(db, input.nickname);
  await refuseTakenWorker(db, input.inviteWx);

  await deps.kf.addKfAccount({ kfAccount, nickname: input.nickname });
  const now = clock(deps);
  const agent = await db.transaction(async (tx) => {
    const agent = await insertAgent(tx, { kfAccount, nickname: input.nickname, inviteWx: input.inviteWx, status: 'uninvited', now: now() });
    await recordAudit(tx, { userId: actor.id, action: 'agent.create', target: kfAccount, detail: `nickname=${input.nickname}` });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'created', agentId: agent.id }));
    return agent;
  });
  return sendInvite(deps, actor, agent, input.inviteWx);
}

/** Invite (again) the worker of an agent not yet bound: uninvited, rejected or expired. */
export async function reinviteAgent(deps: AgentDeps, actor: Actor, params: { agentId: number; inviteWx: string }): Promise<InviteResult> {
  const agent = await findAgent(deps.database.db, { id: params.agentId });
  if (!agent || agent.status === 'removed') throw new DomainError('error.notFound');
  if (agent.status === 'active') throw new DomainError('agents.alreadyBound');
  if (agent.status === 'invited' && agent.inviteExpiresAt && agent.inviteExpiresAt > clock(deps)()) {
    throw new DomainError('agents.invitePending');
  }
  await refuseTakenWorker(deps.database.db, params.inviteWx, agent.id);
  return sendInvite(deps, actor, agent, params.inviteWx);
}

/**
 * Followers are told their agent's nickname and the console names agents by it: two called alike
 * could not be told apart. (Accounts made in WeChat's own tool may still share one; the console then
 * adds the account.)
 */
async function refuseTakenNickname(db: Db, nickname: string, exceptId?: number): Promise<void> {
  const taken = await findAgentByNickname(db, { nickname, exceptId });
  if (taken) throw new DomainError('agents.nicknameTaken', { nickname, kfAccount: taken.kfAccount }, { field: 'nickname' });
}

async function refuseTakenWorker(db: Db, inviteWx: string, exceptId?: number): Promise<void> {
  const taken = await findAgentByWorkerWx(db, { wx: inviteWx, exceptId });
  if (taken) throw new DomainError('agents.workerTaken', { kfAccount: taken.kfAccount }, { field: 'inviteWx' });
}

async function sendInvite(deps: AgentDeps, actor: Actor, agent: Agent, inviteWx: string): Promise<InviteResult> {
  const now = clock(deps);
  const db = deps.database.db;
  try {
    await deps.kf.inviteWorker({ kfAccount: agent.kfAccount, inviteWx });
  } catch (error) {
    if (!(error instanceof WechatApiError)) throw error;
    const failed = await db.transaction(async (tx) => {
      const row = await updateAgent(tx, {
        id: agent.id,
        now: now(),
        set: { inviteWx, inviteErrcode: error.errcode, inviteError: error.meaning.en },
      });
      await recordAudit(tx, { userId: actor.id, action: 'agent.invite.failed', target: agent.kfAccount, detail: `inviteWx=${inviteWx} errcode=${error.errcode}` });
      await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'updated', agentId: agent.id }));
      return row;
    });
    return { agent: failed ?? agent, invited: false, error };
  }
  const invited = await db.transaction(async (tx) => {
    const row = await updateAgent(tx, {
      id: agent.id,
      now: now(),
      set: { status: 'invited', inviteWx, inviteErrcode: null, inviteError: null },
    });
    await recordAudit(tx, { userId: actor.id, action: 'agent.invite', target: agent.kfAccount, detail: `inviteWx=${inviteWx}` });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'updated', agentId: agent.id }));
    return row;
  });
  // The invitation's expiry is WeChat's to say: the next list carries it.
  await runAgentSync(deps).catch(() => undefined);
  return { agent: (await findAgent(db, { id: agent.id })) ?? invited ?? agent, invited: true };
}

export async function renameAgent(deps: AgentDeps, actor: Actor, params: { agentId: number; nickname: string }): Promise<Agent> {
  const agent = await liveAgent(deps, params.agentId);
  if (agent.nickname === params.nickname) return agent;
  await refuseTakenNickname(deps.database.db, params.nickname, agent.id);
  await deps.kf.updateKfAccount({ kfAccount: agent.kfAccount, nickname: params.nickname });
  return deps.database.db.transaction(async (tx) => {
    const row = await updateAgent(tx, { id: agent.id, now: clock(deps)(), set: { nickname: params.nickname } });
    await recordAudit(tx, { userId: actor.id, action: 'agent.rename', target: agent.kfAccount, detail: `nickname: ${agent.nickname} → ${params.nickname}` });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'updated', agentId: agent.id }));
    return row ?? agent;
  });
}

export interface AvatarFile {
  data: Uint8Array;
  type: string;
  name: string;
}

/**
 * What WeChat takes for an avatar: a JPEG (uploadheadimg's doc names jpg only, and WeChat answers a
 * PNG with 40005), at most 5 MB, 64 to 4096 px a side. Checked here so the refusal is ours and clear.
 */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

export async function changeAgentAvatar(deps: AgentDeps, actor: Actor, params: { agentId: number; file: AvatarFile }): Promise<void> {
  const agent = await liveAgent(deps, params.agentId);
  const image = checkAvatar(params.file);
  await deps.kf.uploadKfHeadImg(agent.kfAccount, { data: params.file.data, filename: 'avatar.jpg', contentType: 'image/jpeg' });
  await deps.database.db.transaction(async (tx) => {
    await recordAudit(tx, { userId: actor.id, action: 'agent.avatar', target: agent.kfAccount, detail: `${image.width}×${image.height} ${image.format}` });
  });
  // WeChat gives the new avatar a new URL: the list has it.
  await runAgentSync(deps).catch(() => undefined);
}

export async function removeAgent(deps: AgentDeps, actor: Actor, params: { agentId: number }): Promise<void> {
  const agent = await liveAgent(deps, params.agentId);
  try {
    await deps.kf.deleteKfAccount(agent.kfAccount);
  } catch (error) {
    // Already gone in WeChat (deleted in its admin pages): removing it here is all that is left.
    if (!(error instanceof WechatApiError && error.errcode === 65401)) throw error;
  }
  await deps.database.db.transaction(async (tx) => {
    const now = clock(deps)();
    await updateAgent(tx, { id: agent.id, now, set: { status: 'removed', removedAt: now, online: false } });
    await recordAudit(tx, { userId: actor.id, action: 'agent.remove', target: agent.kfAccount, detail: `status=${agent.status}` });
    await notify(tx, CHANNEL.agents, JSON.stringify({ kind: 'removed', agentId: agent.id }));
  });
}

async function liveAgent(deps: AgentDeps, agentId: number): Promise<Agent> {
  const agent = await findAgent(deps.database.db, { id: agentId });
  if (!agent || agent.status === 'removed') throw new DomainError('error.notFound');
  return agent;
}

/** The format and size of a jpg or png from its header, refusing anything else before upload. */
export function checkAvatar(file: AvatarFile): { format: 'jpg'; width: number; height: number } {
  if (file.data.byteLength === 0) throw new DomainError('agents.avatarEmpty', {}, { field: 'avatar' });
  if (file.data.byteLength > AVATAR_MAX_BYTES) throw new DomainError('agents.avatarTooBig', { max: '5 MB' }, { field: 'avatar' });
  const size = imageSize(file.data);
  if (!size || size.format !== 'jpg') throw new DomainError('agents.avatarType', {}, { field: 'avatar' });
  if (size.width < 64 || size.height < 64 || size.width > 4096 || size.height > 4096) {
    throw new DomainError('agents.avatarDimensions', { width: size.width, height: size.height }, { field: 'avatar' });
  }
  return { format: 'jpg', width: size.width, height: size.height };
}

function imageSize(data: Uint8Array): { format: 'jpg' | 'png'; width: number; height: number } | undefined {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // PNG: signature, then the IHDR chunk's width and height.
  if (view.length >= 24 && view.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { format: 'png', width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
  }
  // JPEG: walk the markers to the first start-of-frame, which holds the dimensions.
  if (view.length >= 4 && view[0] === 0xff && view[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < view.length) {
      if (view[offset] !== 0xff) return undefined;
      const marker = view[offset + 1]!;
      const length = view.readUInt16BE(offset + 2);
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { format: 'jpg', height: view.readUInt16BE(offset + 5), width: view.readUInt16BE(offset + 7) };
      offset += 2 + length;
    }
  }
  return undefined;
}
