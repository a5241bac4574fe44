// Writes a batch's outcomes back as they happen, not once at the end of the batch: a process that
// dies mid-batch then leaves unrecorded only the sends it had on the wire, and those are all a
// restarted dispatcher sends again. Outcomes that arrive while a write is running go together in the
// next one (group commit), so a batch costs a few statements, not one per row.
import 'server-only';
import type { OutboxOutcome } from '@/db/queries/outbox';

interface Waiting {
  outcome: OutboxOutcome;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class OutcomeWriter {
  readonly #write: (outcomes: OutboxOutcome[]) => Promise<void>;
  readonly #maxWrites: number;
  #waiting: Waiting[] = [];
  readonly #writes = new Set<Promise<void>>();
  #scheduled = false;
  #failure: { error: unknown } | undefined;

  /**
   * `write` writes one group; when it throws, the group and everything after it are refused. Up to
   * `maxWrites` groups are written at once: a send that comes back while a write runs then waits for
   * about one write, not for the end of that one and then its own.
   */
  constructor(write: (outcomes: OutboxOutcome[]) => Promise<void>, opts: { maxWrites?: number } = {}) {
    this.#write = write;
    this.#maxWrites = opts.maxWrites ?? 2;
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

  /** Waits until every outcome added so far is written; throws if one could not be. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0 || this.#waiting.length > 0 || this.#scheduled) {
      if (this.#waiting.length > 0 && this.#writes.size < this.#maxWrites) this.#start();
      else if (this.#writes.size > 0) await Promise.race(this.#writes);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    this.throwIfFailed();
  }

  // Outcomes that come back in the same turn of the event loop share a statement.
  #schedule(): void {
    if (this.#scheduled || this.#writes.size >= this.#maxWrites) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#writes.size < this.#maxWrites) this.#start();
    });
  }

  #start(): void {
    const group = this.#waiting;
    this.#waiting = [];
    if (group.length === 0) return;
    const writing: Promise<void> = this.#run(group).finally(() => {
      this.#writes.delete(writing);
      if (this.#waiting.length > 0) this.#schedule();
    });
    this.#writes.add(writing);
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
