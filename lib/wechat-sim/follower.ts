// The follower's phone: messages and events go to the webhook (or, during an accepted session, to
// the agent), and whatever WeChat would show the follower lands in their inbox (state.deliveries).
import { randomBytes } from 'node:crypto';
import type { WechatCrypto } from '../wechat/crypto';
import type { SimClock } from './clock';
import type { CustomerServiceMachine, KfEventFields } from './cs-machine';
import { SimUsageError } from './errors';
import type { WebhookClient } from './push';
import { GRANTING_EVENTS, grantWindow } from './quota';
import { readReply } from './reply';
import { appendBounded, deliver, followerOf, nextMsgId, type Follower, type PushRecord, type SimState } from './state';

/** What WeChat shows the follower when the webhook fails to answer or answers nonsense. */
export const SERVICE_UNAVAILABLE_TEXT = '该公众号暂时无法提供服务，请稍后再试';

export type FollowerResult =
  /** An agent holds the session: the message went to customer service, not the webhook. */
  | { route: 'agent' }
  | { route: 'webhook'; push: PushRecord }
  /** No server URL is configured, so WeChat pushes nothing. */
  | { route: 'no_webhook' };

export interface FollowerDeps {
  state: SimState;
  clock: SimClock;
  cs: CustomerServiceMachine;
  webhook: WebhookClient;
  crypto: WechatCrypto | undefined;
}

export class FollowerSide {
  private readonly pending = new Set<Promise<unknown>>();
  private nextPushId = 1;

  constructor(private readonly deps: FollowerDeps) {}

  sendText(openid: string, text: string): Promise<FollowerResult> {
    const follower = this.subscribed(openid);
    const now = this.deps.clock.now();
    follower.lastInteractionAt = now;
    grantWindow(follower, 'message', now);
    const msgId = nextMsgId(this.deps.state, now);
    if (this.deps.cs.forwardToAgent(openid, text)) return Promise.resolve({ route: 'agent' });
    const fields = { ...this.header(openid), MsgType: 'text', Content: text, MsgId: msgId };
    return this.push(openid, fields, { repliesTo: 'message', transferText: text });
  }

  /** Any event; subscribe/unsubscribe also change whether the follower follows the account. */
  sendEvent(openid: string, event: string, extra: Record<string, string> = {}): Promise<FollowerResult> {
    const follower = event === 'subscribe' ? followerOf(this.deps.state, openid) : this.subscribed(openid);
    const now = this.deps.clock.now();
    if (event === 'unsubscribe') this.unfollow(follower);
    else {
      if (event === 'subscribe') follower.subscribedAt = now;
      follower.subscribed = true;
      follower.lastInteractionAt = now;
      if (GRANTING_EVENTS.has(event)) grantWindow(follower, 'event', now);
    }
    return this.push(openid, { ...this.header(openid), MsgType: 'event', Event: event, ...extra }, { repliesTo: 'event' });
  }

  subscribe(openid: string, scene?: string): Promise<FollowerResult> {
    const extra: Record<string, string> =
      scene === undefined ? { EventKey: '' } : { EventKey: `qrscene_${scene}`, Ticket: this.ticketFor(scene) };
    return this.sendEvent(openid, 'subscribe', extra);
  }

  scan(openid: string, scene: string): Promise<FollowerResult> {
    return this.sendEvent(openid, 'SCAN', { EventKey: scene, Ticket: this.ticketFor(scene) });
  }

  /** The kf_* session events the customer-service system pushes on the follower's behalf. */
  pushKfEvent(openid: string, fields: KfEventFields): Promise<FollowerResult> {
    return this.push(openid, { ...this.header(openid), MsgType: 'event', ...fields }, { repliesTo: 'event' });
  }

  /** Resolves once every push started so far has finished (all attempts and the reply handled). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private push(
    openid: string,
    fields: Record<string, unknown>,
    opts: { repliesTo: 'message' | 'event'; transferText?: string },
  ): Promise<FollowerResult> {
    const { config } = this.deps.state;
    if (!config.webhookUrl) return Promise.resolve({ route: 'no_webhook' });
    const target = {
      url: config.webhookUrl,
      mode: config.mode,
      token: config.token,
      openid,
      originalId: config.originalId,
      crypto: this.deps.crypto,
    };
    const payload = this.deps.webhook.buildPayload(target, fields);
    const record: PushRecord = {
      id: this.nextPushId++,
      openid,
      at: this.deps.clock.now(),
      url: target.url,
      mode: target.mode,
      fields,
      body: payload.body,
      attempts: [],
      outcome: undefined,
    };
    appendBounded(this.deps.state.pushes, record);
    const run = (async (): Promise<FollowerResult> => {
      const result = await this.deps.webhook.deliver(target, payload, {
        attempts: config.pushAttempts,
        timeoutMs: config.pushTimeoutMs,
      });
      record.attempts = result.attempts;
      record.outcome =
        result.replyBody === undefined
          ? { kind: 'failed' }
          : readReply(result.replyBody, { mode: target.mode, crypto: this.deps.crypto, repliesTo: opts.repliesTo });
      this.act(record, opts.transferText);
      return { route: 'webhook', push: record };
    })();
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
    return run;
  }

  /** What the follower sees (or what customer service does) once WeChat has read the answer. */
  private act(record: PushRecord, transferText: string | undefined): void {
    const { outcome, openid } = record;
    const at = this.deps.clock.now();
    if (!outcome || outcome.kind === 'ack') return;
    if (outcome.kind === 'transfer') {
      // Only a follower's message can be transferred; a transfer reply to an event does nothing.
      if (transferText !== undefined) this.deps.cs.transfer(openid, transferText, outcome.kfAccount);
      return;
    }
    if (outcome.kind === 'message') {
      const { msgType, text, fields } = outcome;
      deliver(this.deps.state, { openid, at, source: 'reply', msgType, text, payload: fields });
      return;
    }
    const text = SERVICE_UNAVAILABLE_TEXT;
    deliver(this.deps.state, { openid, at, source: 'system', msgType: 'text', text, payload: { text } });
  }

  private header(openid: string) {
    return { ToUserName: this.deps.state.config.originalId, FromUserName: openid, CreateTime: this.deps.clock.nowSeconds() };
  }

  private subscribed(openid: string): Follower {
    const follower = followerOf(this.deps.state, openid);
    if (!follower.subscribed) throw new SimUsageError('not_subscribed', `${openid} does not follow the account`);
    return follower;
  }

  private unfollow(follower: Follower): void {
    follower.subscribed = false;
    follower.grants = {};
    follower.typingUntil = undefined;
    this.deps.cs.forget(follower.openid);
  }

  /** The ticket of the newest live QR code for this scene, or a made-up one for an unknown scene. */
  private ticketFor(scene: string): string {
    const now = this.deps.clock.now();
    const live = [...this.deps.state.qrTickets.values()].filter(
      (t) => t.scene === scene && (t.expiresAt === undefined || now < t.expiresAt),
    );
    return live.at(-1)?.ticket ?? randomBytes(48).toString('base64');
  }
}
