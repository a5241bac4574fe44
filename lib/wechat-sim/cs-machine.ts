// The customer-service state machine behind `transfer_customer_service`:
//   (none) --transfer--> waiting --accept/create--> accepted --close / 30 min idle--> (none)
//                                                   accepted --switch--> accepted (other agent)
// Each transition an agent makes is pushed to the webhook as a kf_* event. While accepted, the
// follower's messages go to the agent (chat record opercode 2003) instead of the webhook.
import type { SimClock } from './clock';
import { agentAccount } from './accounts';
import { SimApiError, SimUsageError } from './errors';
import type { FollowerResult } from './follower';
import { deliver, type ChatRecord, type KfSession, type SimState, type WaitCase } from './state';

/** mpkf keeps 30 days of chat history. */
export const RECORD_RETENTION_SECONDS = 30 * 24 * 3600;

/** An accepted session with no message either way for this long stops forwarding. */
export const SESSION_IDLE_MS = 30 * 60_000;

export type KfEventFields =
  | { Event: 'kf_create_session'; KfAccount: string }
  | { Event: 'kf_close_session'; KfAccount: string }
  | { Event: 'kf_switch_session'; FromKfAccount: string; ToKfAccount: string };

export interface CsDeps {
  state: SimState;
  clock: SimClock;
  /** Push a kf_* event for this follower to the webhook; the promise settles when delivery ends. */
  emit(openid: string, fields: KfEventFields): Promise<FollowerResult>;
}

export class CustomerServiceMachine {
  constructor(private readonly deps: CsDeps) {}

  /** Ends sessions idle for 30 minutes. WeChat sends no event for this; forwarding just stops. */
  sweep(): void {
    const now = this.deps.clock.now();
    for (const [openid, session] of this.deps.state.sessions) {
      if (now - session.lastActivityAt >= SESSION_IDLE_MS) this.deps.state.sessions.delete(openid);
    }
  }

  session(openid: string): KfSession | undefined {
    this.sweep();
    return this.deps.state.sessions.get(openid);
  }

  sessionsOf(kfAccount: string): KfSession[] {
    this.sweep();
    return [...this.deps.state.sessions.values()].filter((s) => s.kfAccount === kfAccount);
  }

  /** The webhook answered a follower's message with transfer_customer_service. */
  transfer(openid: string, text: string, kfAccount: string | undefined): void {
    const now = this.deps.clock.now();
    const session = this.session(openid);
    if (session) {
      // An agent accepted while this message was on its way to the webhook: it reaches the agent.
      this.forward(session, text);
      return;
    }
    const waiting = this.waitCase(openid);
    const message = { text, at: now };
    if (waiting) {
      waiting.latestAt = now;
      waiting.messages.push(message);
      if (kfAccount) waiting.kfAccount = kfAccount;
      return;
    }
    this.deps.state.queue.push({ openid, queuedAt: now, latestAt: now, kfAccount, messages: [message] });
  }

  /** A follower's message during an accepted session goes to the agent; false when there is none. */
  forwardToAgent(openid: string, text: string): boolean {
    const session = this.session(openid);
    if (!session) return false;
    this.forward(session, text);
    return true;
  }

  /** An agent takes the given follower, or the longest-waiting one routed to them or to anyone. */
  accept(kfAccount: string, openid?: string): Promise<FollowerResult> {
    const account = agentAccount(this.deps.state, kfAccount);
    if (!account.boundWx) throw new SimUsageError('agent_not_bound', `${kfAccount} is not bound to a WeChat user`);
    if (!account.online) throw new SimUsageError('agent_offline', `${kfAccount} is offline`);
    const waiting =
      openid === undefined
        ? this.deps.state.queue.find((w) => w.kfAccount === undefined || w.kfAccount === kfAccount)
        : this.waitCase(openid);
    if (!waiting) {
      const serving = openid === undefined ? undefined : this.session(openid);
      if (serving?.kfAccount === kfAccount) throw new SimUsageError('invalid_argument', `${kfAccount} already serves ${openid}`);
      if (serving) throw new SimUsageError('served_by_other_agent', `${openid} is with ${serving.kfAccount}`);
      throw new SimUsageError('no_waiting_follower', openid ? `${openid} is not waiting` : 'nobody is waiting');
    }
    if (waiting.kfAccount !== undefined && waiting.kfAccount !== kfAccount) {
      throw new SimUsageError('routed_to_other_agent', `${waiting.openid} was transferred to ${waiting.kfAccount}`);
    }
    return this.start(kfAccount, waiting.openid);
  }

  /** POST /customservice/kfsession/create: idempotent for the same agent. */
  createByApi(kfAccount: string, openid: string): void {
    const current = this.session(openid);
    if (current?.kfAccount === kfAccount) return;
    if (current) throw new SimApiError(65414);
    void this.start(kfAccount, openid);
  }

  switchTo(fromKf: string, openid: string, toKf: string): Promise<FollowerResult> {
    const session = this.agentSession(fromKf, openid);
    const target = agentAccount(this.deps.state, toKf);
    if (toKf === fromKf) throw new SimUsageError('invalid_argument', `${openid} is already with ${toKf}`);
    if (!target.boundWx) throw new SimUsageError('agent_not_bound', `${toKf} is not bound to a WeChat user`);
    if (!target.online) throw new SimUsageError('agent_offline', `${toKf} is offline`);
    session.kfAccount = toKf;
    session.lastActivityAt = this.deps.clock.now();
    return this.deps.emit(openid, { Event: 'kf_switch_session', FromKfAccount: fromKf, ToKfAccount: toKf });
  }

  /** The agent ends the session (in the agent tool). */
  close(kfAccount: string, openid: string): Promise<FollowerResult> {
    this.agentSession(kfAccount, openid);
    return this.end(kfAccount, openid);
  }

  /** POST /customservice/kfsession/close. */
  closeByApi(kfAccount: string, openid: string): void {
    const session = this.session(openid);
    if (!session) throw new SimApiError(65413);
    if (session.kfAccount !== kfAccount) throw new SimApiError(65414);
    void this.end(kfAccount, openid);
  }

  /** An agent's message to the follower: chat record 2002 and a delivery to the follower's phone. */
  agentSend(kfAccount: string, openid: string, text: string): void {
    const session = this.agentSession(kfAccount, openid);
    const now = this.deps.clock.now();
    session.lastActivityAt = now;
    this.record(openid, 2002, text, kfAccount);
    const delivery = { openid, at: now, source: 'agent' as const, msgType: 'text', text, payload: { text }, kfAccount };
    deliver(this.deps.state, delivery);
  }

  /** Unfollowing drops the follower from the queue and from any session, without events. */
  forget(openid: string): void {
    this.deps.state.queue = this.deps.state.queue.filter((w) => w.openid !== openid);
    this.deps.state.sessions.delete(openid);
  }

  private start(kfAccount: string, openid: string): Promise<FollowerResult> {
    const now = this.deps.clock.now();
    const waiting = this.waitCase(openid);
    this.deps.state.queue = this.deps.state.queue.filter((w) => w.openid !== openid);
    this.deps.state.sessions.set(openid, { openid, kfAccount, createdAt: now, lastActivityAt: now });
    // What the follower wrote while waiting is what the agent reads first.
    for (const message of waiting?.messages ?? []) this.record(openid, 2003, message.text, kfAccount, message.at);
    return this.deps.emit(openid, { Event: 'kf_create_session', KfAccount: kfAccount });
  }

  private end(kfAccount: string, openid: string): Promise<FollowerResult> {
    this.deps.state.sessions.delete(openid);
    return this.deps.emit(openid, { Event: 'kf_close_session', KfAccount: kfAccount });
  }

  private forward(session: KfSession, text: string): void {
    session.lastActivityAt = this.deps.clock.now();
    this.record(session.openid, 2003, text, session.kfAccount);
  }

  private agentSession(kfAccount: string, openid: string): KfSession {
    agentAccount(this.deps.state, kfAccount);
    const session = this.session(openid);
    if (!session || session.kfAccount !== kfAccount) {
      throw new SimUsageError('no_session', `${kfAccount} has no session with ${openid}`);
    }
    return session;
  }

  private waitCase(openid: string): WaitCase | undefined {
    return this.deps.state.queue.find((w) => w.openid === openid);
  }

  private record(openid: string, opercode: ChatRecord['opercode'], text: string, worker: string, at?: number): void {
    const state = this.deps.state;
    const msgid = state.nextRecordId;
    state.nextRecordId += 2;
    const time = Math.floor((at ?? this.deps.clock.now()) / 1000);
    state.records.push({ msgid, openid, opercode, text, time, worker });
    // mpkf keeps 30 days of history; older records could never be fetched again.
    const oldestKept = this.deps.clock.nowSeconds() - RECORD_RETENTION_SECONDS;
    const firstKept = state.records.findIndex((r) => r.time >= oldestKept);
    if (firstKept > 0) state.records.splice(0, firstKept);
  }
}
