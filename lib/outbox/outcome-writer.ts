// Writes a batch's outcomes back as they happen, not once at the end of the batch: a process that
// dies mid-batch then leaves unrecorded only the sends it had on the wire (or back and in the next
// write), and those are all a restarted dispatcher sends again.
//
// Group commit on a clock: at most one write is under way, and a write starts at most once per
// `everyMs`; every outcome that came back meanwhile goes in it. The database then sees a statement
// per time slice whatever the send rate, instead of one per returning send (writing as sends came
// back, two writes at once, cost the webhook a fifth of its throughput on a shared Postgres).
import 'server-only';
import type { OutboxOutcome } from '@/db/queries/outbox';

interface Waiting {
  outcome: OutboxOutcome;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class OutcomeWriter {
  readonly #write: (outcomes: OutboxOutcome[]) => Promise<void>;
  readonly #everyMs: number;
  #waiting: Waiting[] = [];
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastStartedAt = -Infinity;
  #failure: { error: unknown } | undefined;

  /** `write` writes one group; when it throws, the group and everything after it are refused. */
  constructor(write: (outcomes: OutboxOutcome[]) => Promise<void>, opts: { everyMs?: number } = {}) {
    this.#write = write;
    this.#everyMs = opts.everyMs ?? 10;
  }

  /** Resolves once the outcome is in the database; rejects if it could not be written. */
  add(outcome: OutboxOutcome): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure.error);
    const written = new Promise<void>((resolve, reject) => this.#waiting.push({ outcome, resolve, reject }));
    this.#schedule();
    return written;
  }

  /** Queues an outcome nobody waits for (a row never sent); a failure shows in `flush`. */
  push(outcome: OutboxOutcome): void {
    this.add(outcome).catch(() => {});
  }

  /** Throws the write error, if a write failed: no more sends should start. */
  throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /** Writes what is waiting now, without waiting for the next slice, and waits until all of it is written; throws if something could not be. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing || this.#waiting.length > 0) {
      if (this.#writing) await this.#writing;
      else this.#start();
    }
    this.throwIfFailed();
  }

  // A write starts when the previous one is done and a slice has passed since it started.
  #schedule(): void {
    if (this.#timer || this.#writing || this.#waiting.length === 0) return;
    const wait = Math.max(0, this.#lastStartedAt + this.#everyMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#writing) this.#start();
    }, wait);
  }

  #start(): void {
    const group = this.#waiting;
    this.#waiting = [];
    if (group.length === 0) return;
    this.#lastStartedAt = performance.now();
    this.#writing = this.#run(group).finally(() => {
      this.#writing = undefined;
      this.#schedule();
    });
  }

  async #run(group: Waiting[]): Promise<void> {
    if (this.#failure) {
      for (const w of group) w.reject(this.#failure.error);
      return;
    }
    try {
      await this.#write(group.map((w) => w.outcome));
      for (const w of group) w.resolve();
    } catch (error) {
      this.#failure = { error };
      for (const w of group) w.reject(error);
    }
  }
}
