// The statutory years the Settings page offers to import: only the days still ahead.
import { describe, expect, it } from 'vitest';
import { statutoryYears, statutoryYearsUnknown } from './statutory-holidays';

describe('statutoryYears', () => {
  it("offers a year's holidays and make-up days from today on, and no year with none left", () => {
    const [whole] = statutoryYears([2026]);
    expect(whole!.holidays.length).toBeGreaterThan(20);
    const [rest] = statutoryYears([2026], '2026-10-01');
    expect(rest!.holidays.length).toBeGreaterThan(0);
    expect(rest!.holidays.length).toBeLessThan(whole!.holidays.length);
    expect(rest!.holidays.every((d) => d.date >= '2026-10-01')).toBe(true);
    expect(rest!.workdays.every((d) => d.date >= '2026-10-01')).toBe(true);
    expect(statutoryYears([2026], '2026-12-07')).toEqual([]);
  });
});

describe('statutoryYearsUnknown', () => {
  it('names the years the installed data has no schedule for, not those whose days are all past', () => {
    expect(statutoryYearsUnknown([2026, 2999])).toEqual([2999]);
  });
});
