// Customer-service accounts (客服帐号): the rules of add/update/del/inviteworker, and what the agent
// does in the WeChat client (accept or reject an invitation, go online). Shared by the HTTP routes
// and the in-process agents API.
import type { SimClock } from './clock';
import { SimApiError, SimUsageError } from './errors';
import { inviteStatus, type KfAccount, type SimState } from './state';

const MAX_ACCOUNTS = 100;
const MAX_NICKNAME_CHARS = 16;
const MAX_ACCOUNT_CHARS = 30;
const ACCOUNT_PREFIX = /^[A-Za-z0-9_]{1,10}$/;
/** WeChat IDs: 6–20 characters, starting with a letter. */
const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

interface AccountDeps {
  state: SimState;
  clock: SimClock;
}

export function checkNickname(nickname: string | undefined): string {
  const length = nickname === undefined ? 0 : [...nickname].length;
  if (!nickname || length > MAX_NICKNAME_CHARS || nickname.trim() === '') throw new SimApiError(65403);
  return nickname;
}

/** prefix@OA-WeChat-ID: the suffix must be this account's WeChat ID, not its gh_ id. */
export function checkAccountName(deps: AccountDeps, kfAccount: string | undefined): string {
  const [prefix, suffix, extra] = (kfAccount ?? '').split('@');
  const valid =
    kfAccount !== undefined &&
    kfAccount.length <= MAX_ACCOUNT_CHARS &&
    extra === undefined &&
    ACCOUNT_PREFIX.test(prefix ?? '') &&
    suffix === deps.state.config.kfSuffix;
  if (!valid) throw new SimApiError(65404);
  return kfAccount;
}

export function existingAccount(deps: AccountDeps, kfAccount: string | undefined): KfAccount {
  const account = kfAccount === undefined ? undefined : deps.state.accounts.get(kfAccount);
  if (!account) throw new SimApiError(65401);
  return account;
}

export function addAccount(deps: AccountDeps, kfAccountInput: string | undefined, nicknameInput: string | undefined): void {
  const kfAccount = checkAccountName(deps, kfAccountInput);
  const nickname = checkNickname(nicknameInput);
  const { state } = deps;
  if (state.accounts.has(kfAccount)) throw new SimApiError(65406);
  if (state.accounts.size >= MAX_ACCOUNTS) throw new SimApiError(65405);
  const kfId = String(state.nextKfId++);
  state.accounts.set(kfAccount, {
    kfAccount,
    nickname,
    kfId,
    headImgUrl: `http://mmbiz.qpic.cn/mmbiz/sim-default-${kfId}/0`,
    boundWx: undefined,
    invite: undefined,
    online: false,
  });
}

export function deleteAccount(deps: AccountDeps, kfAccount: string | undefined): void {
  const account = existingAccount(deps, kfAccount);
  const { state } = deps;
  state.accounts.delete(account.kfAccount);
  // A deleted agent can serve no one: its sessions end and cases routed to it go back to everyone.
  for (const [openid, session] of state.sessions) if (session.kfAccount === account.kfAccount) state.sessions.delete(openid);
  for (const waiting of state.queue) if (waiting.kfAccount === account.kfAccount) waiting.kfAccount = undefined;
}

export function inviteWorker(deps: AccountDeps, kfAccount: string | undefined, inviteWx: string | undefined): void {
  const account = existingAccount(deps, kfAccount);
  if (account.boundWx) throw new SimApiError(65412);
  const now = deps.clock.now();
  if (account.invite && inviteStatus(account.invite, now) === 'waiting') throw new SimApiError(65411);
  if (!inviteWx || !WECHAT_ID.test(inviteWx)) throw new SimApiError(65409);
  for (const other of deps.state.accounts.values()) {
    if (other.boundWx === inviteWx) throw new SimApiError(65407);
    if (other.invite?.wx === inviteWx && inviteStatus(other.invite, now) === 'waiting') throw new SimApiError(65408);
  }
  account.invite = { wx: inviteWx, expiresAt: now + deps.state.config.inviteExpiryMs, answer: 'waiting' };
}

/** The invited person's answer in the WeChat client. */
export function answerInvite(deps: AccountDeps, kfAccount: string, accept: boolean): void {
  const account = agentAccount(deps.state, kfAccount);
  const invite = account.invite;
  if (!invite || inviteStatus(invite, deps.clock.now()) !== 'waiting') {
    throw new SimUsageError('no_invite', `${kfAccount} has no pending invitation`);
  }
  if (accept) {
    account.boundWx = invite.wx;
    account.invite = undefined;
  } else {
    invite.answer = 'rejected';
  }
}

export function setOnline(state: SimState, kfAccount: string, online: boolean): void {
  const account = agentAccount(state, kfAccount);
  if (!account.boundWx) throw new SimUsageError('agent_not_bound', `${kfAccount} is not bound to a WeChat user`);
  account.online = online;
}

/** For in-process agent actions, which throw usage errors rather than API errors. */
export function agentAccount(state: SimState, kfAccount: string): KfAccount {
  const account = state.accounts.get(kfAccount);
  if (!account) throw new SimUsageError('unknown_agent', `no customer-service account ${kfAccount}`);
  return account;
}
