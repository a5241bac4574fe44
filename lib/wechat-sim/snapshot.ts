// A JSON-ready picture of the fake WeChat for the sandbox page and tests: who follows, who waits,
// who serves whom, what each agent account looks like.
import type { SimClock } from './clock';
import type { CustomerServiceMachine } from './cs-machine';
import { remainingSends } from './quota';
import { inviteStatus, type ChatRecord, type InviteStatus, type PushMode, type SimState, type WaitCase } from './state';

export interface WaitingEntry {
  openid: string;
  queuedAt: number;
  latestAt: number;
  kfAccount: string | undefined;
  messages: { text: string; at: number }[];
}

export interface SimSnapshot {
  now: number;
  webhook: { url: string | undefined; mode: PushMode };
  followers: {
    openid: string;
    subscribed: boolean;
    /** Messages custom/send may still deliver, and until when. */
    sendWindow: { remaining: number; expiresAt: number | undefined };
    lastInteractionAt: number | undefined;
    remark: string;
  }[];
  accounts: {
    kfAccount: string;
    nickname: string;
    kfId: string;
    headImgUrl: string;
    boundWx: string | undefined;
    invite: { wx: string; expiresAt: number; status: InviteStatus } | undefined;
    online: boolean;
    acceptedCase: number;
  }[];
  sessions: { openid: string; kfAccount: string; createdAt: number; lastActivityAt: number }[];
  queue: WaitingEntry[];
  records: ChatRecord[];
}

export function waitingEntries(queue: WaitCase[]): WaitingEntry[] {
  return queue.map((w) => ({ ...w, messages: w.messages.map((m) => ({ ...m })) }));
}

export function takeSnapshot(state: SimState, clock: SimClock, cs: CustomerServiceMachine): SimSnapshot {
  cs.sweep();
  const now = clock.now();
  return {
    now,
    webhook: { url: state.config.webhookUrl, mode: state.config.mode },
    followers: [...state.followers.values()].map((f) => ({
      openid: f.openid,
      subscribed: f.subscribed,
      sendWindow: remainingSends(f, now),
      lastInteractionAt: f.lastInteractionAt,
      remark: f.remark,
    })),
    accounts: [...state.accounts.values()].map((a) => ({
      kfAccount: a.kfAccount,
      nickname: a.nickname,
      kfId: a.kfId,
      headImgUrl: a.headImgUrl,
      boundWx: a.boundWx,
      invite: a.invite && { wx: a.invite.wx, expiresAt: a.invite.expiresAt, status: inviteStatus(a.invite, now) },
      online: a.online,
      acceptedCase: cs.sessionsOf(a.kfAccount).length,
    })),
    sessions: [...state.sessions.values()].map((s) => ({ ...s })),
    queue: waitingEntries(state.queue),
    records: state.records.map((r) => ({ ...r })),
  };
}
