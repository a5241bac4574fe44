import { describe, expect, it } from 'vitest';
import type { OutboxOutcome } from '@/db/queries/outbox';
import { OutcomeWriter } from './outcome-writer';

const sent = (id: number): OutboxOutcome => ({ id, outcome: 'sent', at: new Date(0) });

describe('OutcomeWriter', () => {
  it('outcomes that arrive while the writes allowed run go together in the next write, and each add resolves once written', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const writer = new OutcomeWriter(
      async (outcomes) => {
        groups.push(outcomes.map((o) => o.id));
        if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      { maxWrites: 1 },
    );
    const written: number[] = [];
    const first = writer.add(sent(1)).then(() => written.push(1));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((id) => writer.add(sent(id)).then(() => written.push(id)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([]);
    release();
    await Promise.all([first, ...later]);
    await writer.flush();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    expect(written).toEqual([1, 2, 3, 4]);
  });

  it('starts a second write while the first runs, up to maxWrites', async () => {
    let running = 0;
    let most = 0;
    const writer = new OutcomeWriter(
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
      { maxWrites: 2 },
    );
    const adds: Promise<void>[] = [];
    for (let id = 1; id <= 5; id++) {
      adds.push(writer.add(sent(id)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(adds);
    await writer.flush();
    expect(most).toBe(2);
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
