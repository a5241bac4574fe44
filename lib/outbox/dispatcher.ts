// Delivers outbox rows through WeChat's custom/send API, outside any webhook request. Any number of
// instances may run one: rows are claimed with SKIP LOCKED under a lease.
import type { DatabaseHandle } from '@/db/client';
import { isSessionWaiting } from '@/db/queries/customer-sessions';
import { consumeSend, getFollower, sendsLeft } from '@/db/queries/followers';
import { claimDueOutbox, finishOutbox, markOutboxSent, rescheduleOutbox, type OutboxRow } from '@/db/queries/outbox';
import { LOW_VALUE_PRIORITY, RESERVED_SENDS, type TextPayload } from '@/lib/kf/outbox-messages';
import { log } from '@/lib/log';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { CustomMessage } from '@/lib/wechat/kf-types';
import { backoffMs, classifySendFailure, MAX_ATTEMPTS } from './classify';

export interface DispatcherOptions {
  database: () => DatabaseHandle;
  kf: KfApi;
  now?: () => Date;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  sendTimeoutMs?: number;
}

const outboxLog = log.child({ module: 'outbox' });

export class OutboxDispatcher {
  readonly #opts: Required<Omit<DispatcherOptions, 'now'>> & { now: () => Date };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #wakeRequested = false;

  constructor(opts: DispatcherOptions) {
    this.#opts = {
      database: opts.database,
      kf: opts.kf,
      pollMs: opts.pollMs ?? 500,
      batchSize: opts.batchSize ?? 50,
      leaseMs: opts.leaseMs ?? 30_000,
      sendTimeoutMs: opts.sendTimeoutMs ?? 5000,
      now: opts.now ?? (() => new Date()),
    };
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Run soon rather than at the next poll (after this process queued something). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeRequested = true;
      return;
    }
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Claim one batch and deliver it; the number of rows handled. Tests call this directly. */
  async runOnce(): Promise<number> {
    const { db } = this.#opts.database();
    const rows = await claimDueOutbox(db, { limit: this.#opts.batchSize, now: this.#opts.now(), leaseMs: this.#opts.leaseMs });
    // One follower's rows in order (their send budget is read and spent per row); followers in parallel.
    const byFollower = new Map<string, OutboxRow[]>();
    rows.sort((a, b) => a.priority - b.priority || a.id - b.id);
    for (const row of rows) byFollower.set(row.openid, [...(byFollower.get(row.openid) ?? []), row]);
    await Promise.all(
      [...byFollower.values()].map(async (queue) => {
        for (const row of queue) await this.#deliver(row);
      }),
    );
    return rows.length;
  }

  /** Deliver until nothing is due (tests and shutdown). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0) {
      // keep going
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#loop().finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#wakeRequested;
        this.#wakeRequested = false;
        this.#schedule(again ? 0 : this.#opts.pollMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#stopped && (await this.runOnce()) === this.#opts.batchSize) {
        // a full batch: more may be due
      }
    } catch (error) {
      outboxLog.warn({ err: error instanceof Error ? error.message : String(error) }, 'dispatch round failed');
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const { db } = this.#opts.database();
    const now = this.#opts.now();
    const follower = await getFollower(db, { openid: row.openid });
    if (follower && !follower.subscribed) {
      await finishOutbox(db, { id: row.id, status: 'skipped', errcode: 43004, error: 'follower unsubscribed' });
      return;
    }
    // Queue updates must not use up the sends a greeting and a closing text will need.
    if (row.priority >= LOW_VALUE_PRIORITY && follower && sendsLeft(follower, now) <= RESERVED_SENDS) {
      await finishOutbox(db, { id: row.id, status: 'skipped', errcode: null, error: 'kept the send budget for higher-value messages' });
      return;
    }
    const payload = row.payload as TextPayload;
    if (payload.whileWaiting !== undefined && !(await isSessionWaiting(db, { id: payload.whileWaiting, now }))) {
      await finishOutbox(db, { id: row.id, status: 'skipped', errcode: null, error: 'the follower is no longer waiting' });
      return;
    }
    const message: CustomMessage = { touser: row.openid, msgtype: 'text', text: payload.text, kfAccount: payload.kfAccount };
    try {
      await this.#opts.kf.sendCustomMessage(message, { timeoutMs: this.#opts.sendTimeoutMs });
      await markOutboxSent(db, { id: row.id, now: this.#opts.now() });
      await consumeSend(db, { openid: row.openid, now });
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.action === 'retry' && row.attempts < MAX_ATTEMPTS) {
        const nextAttemptAt = new Date(now.getTime() + backoffMs(row.attempts));
        await rescheduleOutbox(db, { id: row.id, nextAttemptAt, errcode: failure.errcode, error: failure.reason });
        return;
      }
      outboxLog.warn({ id: row.id, kind: row.kind, errcode: failure.errcode }, 'send failed for good');
      await finishOutbox(db, { id: row.id, status: 'failed', errcode: failure.errcode, error: failure.reason });
    }
  }
}
