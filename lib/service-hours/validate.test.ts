import { describe, expect, it } from 'vitest';
import type { ServiceHours, TimeRange } from './model';
import { defaultServiceHours } from './parse';
import { serviceHoursSchema } from './validate';

const inShanghai = (schedule: string, extra: Partial<ServiceHours> = {}): ServiceHours => ({
  ...defaultServiceHours(schedule, 'Asia/Shanghai'),
  ...extra,
});
const range = (start: string, end: string): TimeRange => ({ start, end });

describe('serviceHoursSchema', () => {
  const hours = inShanghai('mon-fri 09:00-18:00', {
    holidays: ['2026-10-01'],
    extraWorkdays: [{ date: '2026-10-10', ranges: [range('09:00', '18:00')] }],
  });
  const problems = (value: unknown) => {
    const result = serviceHoursSchema.safeParse(value);
    // A code, and its params when it has some: what the console translates beside the field.
    return result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${'params' in i && i.params ? ` ${JSON.stringify(i.params)}` : ''}`);
  };
  const withMonday = (mon: TimeRange[]) => ({ ...hours, weekly: { ...hours.weekly, mon } });

  it('accepts hours built by defaultServiceHours, with holidays and extra working dates', () => {
    expect(serviceHoursSchema.parse(hours)).toEqual(hours);
    expect(serviceHoursSchema.parse(inShanghai('fri 22:00-02:00; sat 00:00-24:00'))).toBeTruthy();
  });

  it.each<[string, unknown, RegExp]>([
    ['a zone that is not IANA', { ...hours, timezone: 'Nowhere/City' }, /^timezone: error.hours.notATimeZone {"timezone":"Nowhere\/City"}$/],
    ['a time without minutes', withMonday([range('9', '10:00')]), /^weekly.mon.0.start: error.hours.timeFormat$/],
    ['a time past 24:00', withMonday([range('09:00', '24:30')]), /^weekly.mon.0.end: error.hours.timeFormat$/],
    ['a range starting at 24:00', withMonday([range('24:00', '10:00')]), /^weekly.mon.0.start: error.hours.startAt24$/],
    ['an empty range', withMonday([range('10:00', '10:00')]), /^weekly.mon.0.end: error.hours.sameStartEnd$/],
    ['seven ranges in a day', withMonday(Array(7).fill(range('09:00', '10:00'))), /^weekly.mon: error.hours.tooManyRangesInDay$/],
    ['a week missing a day', { ...hours, weekly: { ...hours.weekly, sun: undefined } }, /^weekly.sun: /],
    ['a holiday that is not a date', { ...hours, holidays: ['2026-02-30'] }, /^holidays.0: error.hours.dateFormat$/],
    ['a holiday in another format', { ...hours, holidays: ['2026/10/01'] }, /^holidays.0: error.hours.dateFormat$/],
    ['an extra working date with no ranges', { ...hours, extraWorkdays: [{ date: '2026-10-10', ranges: [] }] }, /^extraWorkdays.0.ranges: error.hours.noRanges$/],
    [
      'an extra working date listed twice',
      { ...hours, extraWorkdays: [...hours.extraWorkdays, ...hours.extraWorkdays] },
      /^extraWorkdays.1.date: error.hours.dateListedTwice {"date":"2026-10-10"}$/,
    ],
    ['an extra working date that is also a holiday', { ...hours, holidays: ['2026-10-10'] }, /^extraWorkdays.0.date: error.hours.dateIsHoliday {"date":"2026-10-10"}$/],
  ])('refuses %s', (_, value, problem) => {
    expect(problems(value)).toEqual([expect.stringMatching(problem)]);
  });
});
