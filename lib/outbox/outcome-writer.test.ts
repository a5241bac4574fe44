import { describe, expect, it } from 'vitest';
import type { OutboxOutcome } from '@/db/queries/outbox';
import { OutcomeWriter } from './outcome-writer';

const sent = (id: number): OutboxOutcome => ({ id, outcome: 'sent', at: new Date(0) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OutcomeWriter', () => {
  it('one write at a time: outcomes that come back while a write runs go together in the next, and each add resolves once written', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const writer = new OutcomeWriter(
      async (outcomes) => {
        groups.push(outcomes.map((o) => o.id));
        if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      { everyMs: 0 },
    );
    const written: number[] = [];
    const first = writer.add(sent(1)).then(() => written.push(1));
    await sleep(5);
    const later = [2, 3, 4].map((id) => writer.add(sent(id)).then(() => written.push(id)));
    await sleep(5);
    expect(groups).toEqual([[1]]);
    expect(written).toEqual([]);
    release();
    await Promise.all([first, ...later]);
    await writer.flush();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    expect(written).toEqual([1, 2, 3, 4]);
  });

  it('starts a write at most once per everyMs, however many outcomes come back in between', async () => {
    const startedAt: number[] = [];
    const writer = new OutcomeWriter(
      async () => {
        startedAt.push(performance.now());
      },
      { everyMs: 40 },
    );
    const adds: Promise<void>[] = [];
    const until = performance.now() + 200;
    for (let id = 1; performance.now() < until; id++) {
      adds.push(writer.add(sent(id)));
      await sleep(2);
    }
    await Promise.all(adds);
    const gaps = startedAt.slice(1).map((t, i) => t - startedAt[i]!);
    // libuv times a timer from its loop's cached clock, which can be a millisecond or two behind.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(37);
    expect(startedAt.length).toBeLessThanOrEqual(7);
    expect(adds.length).toBeGreaterThan(startedAt.length * 3);
  });

  it('flush writes what waits without waiting for the slice', async () => {
    const groups: number[][] = [];
    const writer = new OutcomeWriter(async (outcomes) => void groups.push(outcomes.map((o) => o.id)), { everyMs: 60_000 });
    await writer.add(sent(1));
    writer.push(sent(2));
    writer.push(sent(3));
    const started = performance.now();
    await writer.flush();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('after a failed write refuses every outcome after it, and flush throws', async () => {
    const writer = new OutcomeWriter(async () => {
      throw new Error('database away');
    });
    await expect(writer.add(sent(1))).rejects.toThrow('database away');
    expect(() => writer.throwIfFailed()).toThrow('database away');
    await expect(writer.add(sent(2))).rejects.toThrow('database away');
    writer.push(sent(3));
    await expect(writer.flush()).rejects.toThrow('database away');
  });
});
