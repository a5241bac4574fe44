import { describe, expect, it } from 'vitest';
import { syncAtMostEvery } from './runtime';

describe('syncAtMostEvery', () => {
  it('runs the first request at once and at most one more per gap, however many events ask', () => {
    let now = 0;
    let runs = 0;
    const request = syncAtMostEvery({ runNow: async () => void (runs += 1) }, 60_000, () => now);
    request();
    request();
    now = 59_999;
    request();
    expect(runs).toBe(1);
    now = 60_000;
    request();
    request();
    expect(runs).toBe(2);
  });
});
