import { describe, expect, it } from 'vitest';
import { appendBounded, LOG_TRIM_SLACK, MAX_LOG_ENTRIES } from './state';

describe('appendBounded', () => {
  it('keeps every entry up to the cap plus slack, then drops the oldest back to the cap', () => {
    const log: number[] = [];
    for (let i = 0; i < MAX_LOG_ENTRIES + LOG_TRIM_SLACK; i++) appendBounded(log, i);
    expect(log).toHaveLength(MAX_LOG_ENTRIES + LOG_TRIM_SLACK);
    appendBounded(log, -1);
    expect(log).toHaveLength(MAX_LOG_ENTRIES);
    expect(log[0]).toBe(LOG_TRIM_SLACK + 1);
    expect(log.at(-1)).toBe(-1);
  });

  it('never holds more than the cap plus slack, newest last, over many appends', () => {
    const log: number[] = [];
    for (let i = 0; i < 5 * MAX_LOG_ENTRIES; i++) {
      appendBounded(log, i);
      if (log.length > MAX_LOG_ENTRIES + LOG_TRIM_SLACK) throw new Error(`grew to ${log.length}`);
    }
    expect(log.at(-1)).toBe(5 * MAX_LOG_ENTRIES - 1);
    expect(log.length).toBeGreaterThanOrEqual(MAX_LOG_ENTRIES);
    // Consecutive: nothing in the middle was dropped.
    expect(log.every((v, i) => i === 0 || v === log[i - 1]! + 1)).toBe(true);
  });
});
