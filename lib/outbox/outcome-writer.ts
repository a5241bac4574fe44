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
  #waiting: Waiting[] = [];
  #writing: Promise<void> | undefined;
  #scheduled = false;
  #failure: { error: unknown } | undefined;

  /** `write` writes one group; when it throws, the group and everything after it are refused. */
  constructor(write: (outcomes: OutboxOutcome[]) => Promise<void>) {
    this.#write = write;
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
    while (this.#writing || this.#waiting.length > 0 || this.#scheduled) {
      if (this.#writing) await this.#writing;
      else if (this.#waiting.length > 0) this.#start();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    this.throwIfFailed();
  }

  // Outcomes that come back in the same turn of the event loop share a statement.
  #schedule(): void {
    if (this.#writing || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#writing) this.#start();
    });
  }

  #start(): void {
    const group = this.#waiting;
    this.#waiting = [];
    if (group.length === 0) return;
    this.#writing = this.#run(group).finally(() => {
      this.#writing = undefined;
      if (this.#waiting.length > 0) this.#start();
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
