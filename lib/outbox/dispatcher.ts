// Delivers outbox rows through WeChat's custom/send API, outside any webhook request. Any number of
// instances may run one: rows are claimed with SKIP LOCKED under a lease.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import {
  claimDueOutbox,
  KEYWORD_OUTBOX_KINDS,
  recordOutboxOutcomes,
  type ClaimedOutboxRow,
  type OutboxOutcome,
} from '@/db/queries/outbox';
import { errorText, log } from '@/lib/log';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { CustomMessage } from '@/lib/wechat/kf-types';
import { backoffMs, classifySendFailure, MAX_ATTEMPTS } from './classify';
import { OutcomeWriter } from './outcome-writer';
import { SKIP_REASONS } from './skip-reasons';
import { LOW_VALUE_PRIORITY, RESERVED_SENDS, textToSend, type TextPayload } from './payloads';

export interface DispatcherOptions {
  database: () => DatabaseHandle;
  kf: KfApi;
  now?: () => Date;
  pollMs?: number;
  /**
   * Least time from one round's start to the next one a wake-up starts. Under load every keyword
   * wakes the dispatcher; each round claims a batch and numbers the waiting line once, so pacing
   * the rounds makes fewer, larger batches. A full batch still goes straight on to the next.
   */
  wakeIntervalMs?: number;
  batchSize?: number;
  /**
   * Followers sent to at once. Starting a whole batch's requests together holds the event loop for
   * milliseconds at a time, and the webhook shares it; a few at a time spreads the same work out.
   * Also the most rows a crash can leave sent and unwritten, to be sent again after the lease.
   */
  concurrentSends?: number;
  leaseMs?: number;
  sendTimeoutMs?: number;
  /**
   * Outcomes are written back at most once per this many ms, all that came back meanwhile in one
   * statement (outcome-writer.ts). A send's slot waits for its write, so a longer slice means fewer
   * statements and slower draining.
   */
  writeEveryMs?: number;
}

/** Sends at once by default: also the most rows a crash can leave sent but unrecorded. */
export const DEFAULT_CONCURRENT_SENDS = 16;

const outboxLog = log.child({ module: 'outbox' });

export class OutboxDispatcher {
  readonly #opts: Required<Omit<DispatcherOptions, 'now'>> & { now: () => Date };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #wakeRequested = false;
  #roundStartedAt = 0;

  constructor(opts: DispatcherOptions) {
    this.#opts = {
      database: opts.database,
      kf: opts.kf,
      pollMs: opts.pollMs ?? 500,
      wakeIntervalMs: opts.wakeIntervalMs ?? 100,
      batchSize: opts.batchSize ?? 200,
      concurrentSends: opts.concurrentSends ?? DEFAULT_CONCURRENT_SENDS,
      leaseMs: opts.leaseMs ?? 30_000,
      // Inside half the lease (a row starts by then) with room to spare: a send still unanswered then is
      // not repeated (classify.ts), so the wait is long enough for a slow WeChat to answer.
      sendTimeoutMs: opts.sendTimeoutMs ?? 10_000,
      writeEveryMs: opts.writeEveryMs ?? 10,
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
    this.#schedule(this.#wakeDelay());
  }

  #wakeDelay(): number {
    return Math.max(0, this.#roundStartedAt + this.#opts.wakeIntervalMs - Date.now());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Claim one batch and deliver it; the number of rows handled. Tests call this directly. */
  async runOnce(): Promise<number> {
    const claimedAt = this.#opts.now();
    const rows = await claimDueOutbox(this.#opts.database(), { limit: this.#opts.batchSize, now: claimedAt, leaseMs: this.#opts.leaseMs });
    if (rows.length === 0) return 0;
    // One follower's rows in order (they share a send budget); followers in parallel.
    rows.sort((a, b) => a.priority - b.priority || a.id - b.id);
    const byFollower = new Map<string, ClaimedOutboxRow[]>();
    for (const row of rows) {
      const queue = byFollower.get(row.openid);
      if (queue) queue.push(row);
      else byFollower.set(row.openid, [row]);
    }
    // A row must be sent inside its lease, or a second instance would claim (and send again) a row
    // this one is about to send: rows not started by half the lease go back (#deliverQueue).
    const deadline = claimedAt.getTime() + this.#opts.leaseMs / 2;
    const writer = new OutcomeWriter((outcomes) => this.#record(outcomes, claimedAt), { everyMs: this.#opts.writeEveryMs });
    const unwritten = new Slots(this.#opts.concurrentSends);
    await inParallel([...byFollower.values()], this.#opts.concurrentSends, (queue) => this.#deliverQueue(queue, deadline, writer, unwritten));
    await writer.flush();
    return rows.length;
  }

  /** Deliver until nothing is due (tests and shutdown). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0) await yieldToRequests();
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#roundStartedAt = Date.now();
      this.#running = this.#loop().finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#wakeRequested;
        this.#wakeRequested = false;
        this.#schedule(again ? this.#wakeDelay() : this.#opts.pollMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #loop(): Promise<void> {
    try {
      // A full batch: more may be due, but the webhook shares this process and goes first.
      while (!this.#stopped && (await this.runOnce()) === this.#opts.batchSize) await yieldToRequests();
    } catch (error) {
      outboxLog.warn({ err: errorText(error) }, 'dispatch round failed');
    }
  }

  /**
   * Sends one follower's rows in order. Each send holds one of `unwritten`'s `concurrentSends` slots
   * from its start until its outcome is written, so at any moment at most that many rows are on the
   * wire or sent and not yet written: all that a crash can make a restarted dispatcher repeat. The
   * queue goes on while its last outcome is being written, if a slot is free: one follower with
   * many rows (an agent's alerts) is not slowed to one send per write.
   */
  async #deliverQueue(queue: ClaimedOutboxRow[], deadline: number, writer: OutcomeWriter, unwritten: Slots): Promise<void> {
    // The budget as claimed, spent here as sends go out: what re-reading the followers row before
    // each send would show, since a send spends one whenever any is left.
    let budget = queue[0]!.sendsLeft;
    const superseded = supersededPlaceUpdates(queue);
    for (const row of queue) {
      if (superseded.has(row.id)) {
        writer.push({ id: row.id, outcome: 'skipped', errcode: null, error: SKIP_REASONS.superseded });
        continue;
      }
      await unwritten.take();
      let outcome: OutboxOutcome;
      try {
        // Once outcomes cannot be written, every further send would be sent again after the lease.
        writer.throwIfFailed();
        const now = this.#opts.now();
        // A row not started within half the lease goes back: the lease may run out before it is sent.
        if (now.getTime() >= deadline) {
          unwritten.give();
          writer.push({ id: row.id, outcome: 'released', at: now, attempts: row.attempts });
          continue;
        }
        outcome = await this.#deliver(row, budget, now);
      } catch (error) {
        unwritten.give();
        throw error;
      }
      if (outcome.outcome === 'sent' && budget !== null && budget > 0) budget -= 1;
      // sent, retry and failed come back from WeChat's API; skipped never left this process. A
      // failed write shows in throwIfFailed above and in the batch's flush.
      if (outcome.outcome === 'skipped') {
        unwritten.give();
        writer.push(outcome);
      } else {
        writer.add(outcome).then(
          () => unwritten.give(),
          () => unwritten.give(),
        );
      }
    }
  }

  async #deliver(row: ClaimedOutboxRow, budget: number | null, now: Date): Promise<OutboxOutcome> {
    if (row.subscribed === false) return { id: row.id, outcome: 'skipped', errcode: 43004, error: 'follower unsubscribed' };
    // None left: WeChat would refuse it (45047, or 45015 once the window has closed), so it is not
    // asked. The count is the followers row's, which every push and every send keeps.
    if (budget !== null && budget <= 0) return { id: row.id, outcome: 'skipped', errcode: null, error: row.windowOpen === false ? SKIP_REASONS.windowClosed : SKIP_REASONS.spent };
    // Queue updates must not use up the sends a greeting and a closing text will need.
    if (row.priority >= LOW_VALUE_PRIORITY && budget !== null && budget <= RESERVED_SENDS) {
      return { id: row.id, outcome: 'skipped', errcode: null, error: SKIP_REASONS.budget };
    }
    const payload = row.payload as TextPayload;
    if (payload.whileWaiting !== undefined && row.position === null) {
      return { id: row.id, outcome: 'skipped', errcode: null, error: SKIP_REASONS.notWaiting };
    }
    const place = row.position !== null && row.waitingCount !== null ? { position: row.position, count: row.waitingCount, noAgentOnline: row.noAgentOnline === true } : undefined;
    const text = { content: textToSend(payload, place) };
    const message: CustomMessage = { touser: row.openid, msgtype: 'text', text, kfAccount: payload.kfAccount };
    try {
      await this.#opts.kf.sendCustomMessage(message, { timeoutMs: this.#opts.sendTimeoutMs });
      return { id: row.id, outcome: 'sent', at: this.#opts.now() };
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.action === 'retry' && row.attempts < MAX_ATTEMPTS) {
        const at = new Date(now.getTime() + backoffMs(row.attempts));
        return { id: row.id, outcome: 'retry', at, errcode: failure.errcode, error: failure.reason };
      }
      outboxLog.warn({ id: row.id, kind: row.kind, errcode: failure.errcode, reason: failure.reason }, 'send failed for good');
      return { id: row.id, outcome: 'failed', errcode: failure.errcode, error: failure.reason };
    }
  }

  async #record(outcomes: OutboxOutcome[], claimedAt: Date): Promise<void> {
    const database = this.#opts.database();
    try {
      await recordOutboxOutcomes(database, { outcomes, now: claimedAt });
    } catch (error) {
      // One row the database refuses must not leave the others, above all the sent ones, to be sent
      // again after the lease. If even the sent rows cannot be written the database is away: stop.
      outboxLog.warn({ err: errorText(error), rows: outcomes.length }, 'writing a batch back failed; writing row by row');
      const sent = outcomes.filter((o) => o.outcome === 'sent');
      await recordOutboxOutcomes(database, { outcomes: sent, now: claimedAt });
      for (const outcome of outcomes) {
        if (outcome.outcome === 'sent') continue;
        await recordOutboxOutcomes(database, { outcomes: [outcome], now: claimedAt }).catch((rowError: unknown) =>
          outboxLog.warn({ id: outcome.id, err: errorText(rowError) }, 'writing an outcome back failed'),
        );
      }
    }
  }
}

/**
 * A follower who sends the keyword several times before the outbox runs has several place-in-line
 * updates for one session in the same batch, and they would all say the same place: only the newest
 * goes out. Repeating it would read as spam and spend sends the greeting and closing text need.
 * Within one priority `queue` is in id order, and place updates share one: walking it backwards meets
 * each session's newest update first.
 */
function supersededPlaceUpdates(queue: ClaimedOutboxRow[]): Set<number> {
  const seen = new Set<number>();
  const superseded = new Set<number>();
  for (const row of [...queue].reverse()) {
    const session = (row.payload as TextPayload).whileWaiting;
    if (row.kind !== KEYWORD_OUTBOX_KINDS.placeInLine || session === undefined) continue;
    if (seen.has(session)) superseded.add(row.id);
    else seen.add(session);
  }
  return superseded;
}

/** A counting semaphore: `take` waits while all `size` are taken. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async take(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

/** Lets HTTP requests queued behind a busy dispatcher run before its next batch. */
function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** fn over items, at most `limit` at a time; after a failure no new item starts, and the first failure is thrown once all have stopped. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
