import { describe, expect, it } from 'vitest';
import { bucketOf, bucketUpper, countAtMost, EXACT_SECONDS, percentileOf, type Histogram } from './metrics-histogram';

/** The histogram of a list of durations, as the rollup stores it. */
function histogramOf(values: number[]): Histogram {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  return { buckets, counts: buckets.map((b) => counts.get(b)!) };
}

/** Postgres's percentile_cont, on the values themselves. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  return sorted[below]! + (position - below) * ((sorted[below + 1] ?? sorted[below]!) - sorted[below]!);
}

describe('metrics histogram', () => {
  it('puts each duration in a bucket whose range holds it', () => {
    for (const v of [0, 0.2, 1, 59.5, 60, 120, 120.01, 125, 600, 3599, 86_400, 6 * 86_400]) {
      const b = bucketOf(v);
      expect(v).toBeLessThanOrEqual(bucketUpper(b) + 1e-9);
      if (b > 0) expect(v).toBeGreaterThan(bucketUpper(b - 1) - 1e-9);
    }
    expect(bucketOf(-3)).toBe(0);
    // Beyond a week everything shares the last bucket.
    expect(bucketOf(30 * 86_400)).toBe(bucketOf(8 * 86_400));
  });

  it('reads percentiles as percentile_cont does: exactly for whole seconds up to two minutes', () => {
    const waits = [3, 10, 10, 45, 60, 61, 90, 118, 120, 7];
    const h = histogramOf(waits);
    for (const q of [0, 0.1, 0.5, 0.75, 0.9, 1]) expect(percentileOf(h, q)).toBeCloseTo(percentileCont(waits, q), 9);
  });

  it('reads percentiles above two minutes within 2.5 %', () => {
    const handles = Array.from({ length: 500 }, (_, i) => 121 + ((i * 7919) % 20_000));
    const h = histogramOf(handles);
    for (const q of [0.1, 0.5, 0.9]) {
      const exact = percentileCont(handles, q);
      expect(Math.abs(percentileOf(h, q)! / exact - 1)).toBeLessThanOrEqual(0.025);
    }
  });

  it('is empty-safe', () => {
    expect(percentileOf({ buckets: [], counts: [] }, 0.5)).toBeNull();
    expect(countAtMost({ buckets: [], counts: [] }, 60)).toBe(0);
  });

  it('counts waits within a whole-second target exactly up to two minutes, and near it above', () => {
    const waits = [0, 0.5, 29.9, 30, 30.1, 59, 60, 60.001, 119.5, 120, 130, 200, 400];
    const h = histogramOf(waits);
    for (let target = 0; target <= EXACT_SECONDS; target++) {
      expect(countAtMost(h, target), `target ${target}`).toBe(waits.filter((w) => w <= target).length);
    }
    // 300 s: the 130 and 200 waits are well inside; 400 s is beyond the bucket 300 falls in.
    expect(countAtMost(h, 300)).toBe(12);
  });
});
