// Group commit for the webhook. Under load, every push costs a database round trip and a commit;
// handling the pushes that arrive together as one statement divides both by the batch size. Nothing
// waits on a timer: pushes that arrive while a batch is in flight form the next one, so a lone push
// goes out at once and a busy server batches by itself.

import 'server-only';

export interface MicroBatcherOptions<I, R> {
  /** Handles a batch; returns one result per item, in order. */
  run(items: I[]): Promise<R[]>;
  /** Items with the same key share one result: a retry arriving while its original is queued or in flight. */
  keyOf?(item: I): string;
  maxBatch: number;
  /** Batches in flight at once (database connections this batcher may hold). */
  maxInFlight: number;
}

interface Pending<I, R> {
  item: I;
  key: string | undefined;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class MicroBatcher<I, R> {
  readonly #opts: MicroBatcherOptions<I, R>;
  readonly #queue: Pending<I, R>[] = [];
  readonly #byKey = new Map<string, Promise<R>>();
  #inFlight = 0;
  #flushScheduled = false;

  constructor(opts: MicroBatcherOptions<I, R>) {
    if (opts.maxBatch < 1 || opts.maxInFlight < 1) throw new Error('maxBatch and maxInFlight must be at least 1');
    this.#opts = opts;
  }

  submit(item: I): Promise<R> {
    const key = this.#opts.keyOf?.(item);
    const existing = key === undefined ? undefined : this.#byKey.get(key);
    if (existing) return existing;
    const promise = new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, key, resolve, reject });
    });
    if (key !== undefined) {
      this.#byKey.set(key, promise);
      const forget = () => this.#byKey.delete(key);
      promise.then(forget, forget);
    }
    this.#scheduleFlush();
    return promise;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#inFlight >= this.#opts.maxInFlight || this.#queue.length === 0) return;
    this.#flushScheduled = true;
    // After the current round of I/O callbacks, so pushes that arrived together go out together.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < this.#opts.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#opts.maxBatch);
      this.#inFlight++;
      void this.#runBatch(batch).finally(() => {
        this.#inFlight--;
        this.#scheduleFlush();
      });
    }
  }

  async #runBatch(batch: Pending<I, R>[]): Promise<void> {
    try {
      settle(batch, await this.#opts.run(batch.map((p) => p.item)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad item must not fail the pushes it happened to be batched with: try each alone, so
      // only the item that fails by itself gets the error.
      await Promise.all(
        batch.map(async (p) => {
          try {
            settle([p], await this.#opts.run([p.item]));
          } catch (single) {
            p.reject(single);
          }
        }),
      );
    }
  }
}

function settle<I, R>(batch: Pending<I, R>[], results: R[]): void {
  if (results.length !== batch.length) {
    const error = new Error(`batch returned ${results.length} results for ${batch.length} items`);
    for (const p of batch) p.reject(error);
    return;
  }
  batch.forEach((p, i) => p.resolve(results[i]!));
}
