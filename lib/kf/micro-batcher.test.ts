import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('MicroBatcher', () => {
  it('sends items submitted together as one batch, in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, string>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items);
        return items.map((n) => `r${n}`);
      },
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual(['r1', 'r2', 'r3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('queues items that arrive while a batch is in flight into the next batch, up to maxBatch', async () => {
    const gate = deferred<void>();
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 2,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items;
      },
    });
    const first = batcher.submit(1);
    await new Promise(setImmediate);
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    await new Promise(setImmediate);
    expect(batches).toEqual([[1]]); // one in flight at most
    gate.resolve();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('gives items with the same key one result and runs the item once', async () => {
    const seen: string[] = [];
    const batcher = new MicroBatcher<{ key: string; n: number }, number>({
      maxBatch: 10,
      maxInFlight: 2,
      keyOf: (item) => item.key,
      run: async (items) => {
        seen.push(...items.map((i) => i.key));
        return items.map((i) => i.n);
      },
    });
    const results = await Promise.all([
      batcher.submit({ key: 'a', n: 1 }),
      batcher.submit({ key: 'a', n: 2 }),
      batcher.submit({ key: 'b', n: 3 }),
    ]);
    expect(results).toEqual([1, 1, 3]);
    expect(seen).toEqual(['a', 'b']);
    // Once settled the key is free again: a later retry is run (and finds the stored result there).
    expect(await batcher.submit({ key: 'a', n: 4 })).toBe(4);
  });

  it('when a batch fails, retries each item alone so only the bad one fails', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        calls.push(items);
        if (items.includes(13)) throw new Error('bad item 13');
        return items.map((n) => n * 2);
      },
    });
    const settled = await Promise.allSettled([1, 13, 2].map((n) => batcher.submit(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([2, 'bad item 13', 4]);
    expect(calls[0]).toEqual([1, 13, 2]);
    expect(calls.slice(1).sort()).toEqual([[1], [13], [2]].sort());
  });

  it('rejects every item when a batch returns the wrong number of results', async () => {
    const batcher = new MicroBatcher<number, number>({ maxBatch: 10, maxInFlight: 1, run: async () => [] });
    await expect(batcher.submit(1)).rejects.toThrow('batch returned 0 results for 1 items');
  });

  it('keeps working after a failure', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        if (fail) throw new Error('database down');
        return items;
      },
    });
    await expect(batcher.submit(1)).rejects.toThrow('database down');
    fail = false;
    expect(await batcher.submit(2)).toBe(2);
  });
});
