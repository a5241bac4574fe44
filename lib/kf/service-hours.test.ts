import { describe, expect, it } from 'vitest';
import {
  defaultServiceHours,
  formatOpening,
  formatSchedule,
  isOpen,
  nextOpening,
  parseSchedule,
  ServiceHoursError,
  serviceHoursSchema,
  type ServiceHours,
  type TimeRange,
} from './service-hours';

// 2026-11-27 is a Friday. Shanghai is UTC+8 all year.
const shanghai = (local: string) => new Date(`${local}+08:00`);
const inShanghai = (schedule: string, extra: Partial<ServiceHours> = {}): ServiceHours => ({
  ...defaultServiceHours(schedule, 'Asia/Shanghai'),
  ...extra,
});
const range = (start: string, end: string): TimeRange => ({ start, end });

describe('parseSchedule', () => {
  it('reads a bare range as every day', () => {
    const weekly = parseSchedule('09:00-18:00');
    expect(Object.values(weekly)).toEqual(Array(7).fill([range('09:00', '18:00')]));
  });

  it('reads days, several ranges and several segments', () => {
    const weekly = parseSchedule('mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00');
    expect(weekly.wed).toEqual([range('09:00', '12:00'), range('13:30', '18:00')]);
    expect(weekly.sat).toEqual([range('10:00', '14:00')]);
    expect(weekly.sun).toEqual([]);
  });

  it('reads English day names in any case, short or long', () => {
    const weekly = parseSchedule('MON-Wed 09:00-10:00; Friday 11:00-12:00; SUNDAY 13:00-14:00');
    expect(weekly.tue).toEqual([range('09:00', '10:00')]);
    expect(weekly.thu).toEqual([]);
    expect(weekly.fri).toEqual([range('11:00', '12:00')]);
    expect(weekly.sun).toEqual([range('13:00', '14:00')]);
  });

  it('reads Chinese day names, with or without a space before the times', () => {
    const weekly = parseSchedule('周一至周五09:00-18:00；星期六 10:00-14:00；星期日 11:00-12:00');
    expect(weekly.fri).toEqual([range('09:00', '18:00')]);
    expect(weekly.sat).toEqual([range('10:00', '14:00')]);
    expect(weekly.sun).toEqual([range('11:00', '12:00')]);
    expect(parseSchedule('周日 10:00-11:00').sun).toEqual([range('10:00', '11:00')]);
    expect(parseSchedule('星期一到星期三 10:00-11:00').wed).toEqual([range('10:00', '11:00')]);
  });

  it('wraps a day range over the end of the week', () => {
    const weekly = parseSchedule('sat-mon 10:00-16:00');
    expect(weekly.sat).toEqual([range('10:00', '16:00')]);
    expect(weekly.sun).toEqual([range('10:00', '16:00')]);
    expect(weekly.mon).toEqual([range('10:00', '16:00')]);
    expect(weekly.tue).toEqual([]);
    expect(parseSchedule('周六至周一 10:00-16:00').mon).toEqual([range('10:00', '16:00')]);
  });

  it('reads a list of single days', () => {
    const weekly = parseSchedule('mon,wed、fri 09:00-10:00');
    expect(Object.entries(weekly).filter(([, r]) => r.length > 0).map(([d]) => d)).toEqual(['mon', 'wed', 'fri']);
  });

  it('reads daily and 每天 as all seven days, up to 24:00', () => {
    expect(Object.values(parseSchedule('daily 00:00-24:00'))).toEqual(Array(7).fill([range('00:00', '24:00')]));
    expect(parseSchedule('每天 08:00-20:00').sun).toEqual([range('08:00', '20:00')]);
  });

  it('accepts an en dash, a tilde, full-width forms and a one-digit hour', () => {
    expect(parseSchedule('sat 10:00–14:00').sat).toEqual([range('10:00', '14:00')]);
    expect(parseSchedule('sat 10:00~14:00').sat).toEqual([range('10:00', '14:00')]);
    expect(parseSchedule('周六 １０：００～１４：００，15:00-16:00').sat).toEqual([range('10:00', '14:00'), range('15:00', '16:00')]);
    expect(parseSchedule('8:30-9:45').mon).toEqual([range('08:30', '09:45')]);
  });

  it('keeps an overnight range as written', () => {
    expect(parseSchedule('fri 22:00-02:00').fri).toEqual([range('22:00', '02:00')]);
  });

  it('lets a later segment replace the hours of a day named earlier', () => {
    const weekly = parseSchedule('daily 09:00-18:00; sun 10:00-16:00');
    expect(weekly.sat).toEqual([range('09:00', '18:00')]);
    expect(weekly.sun).toEqual([range('10:00', '16:00')]);
  });

  it('gives each day its own ranges, so editing one day leaves the others alone', () => {
    const weekly = parseSchedule('mon-fri 09:00-18:00');
    weekly.mon[0]!.end = '12:00';
    expect(weekly.tue).toEqual([range('09:00', '18:00')]);
  });

  it.each([
    ['25:00-26:00', /"25:00" is not a time/],
    ['09:60-10:00', /"09:60" is not a time/],
    ['09:00-24:30', /"24:30" is not a time/],
    ['0900-1800', /"0900" is not a time/],
    ['mon 09:00-10:00 extra', /"10:00 extra" is not a time/],
    ['24:00-10:00', /"24:00-10:00" starts at 24:00/],
    ['09:00-09:00', /"09:00-09:00" is empty/],
    ['09:00-', /"09:00-" is not a range/],
    ['09:00-12:00-13:00', /"09:00-12:00-13:00" is not a range/],
    ['mon-xyz 09:00-10:00', /"mon-xyz" is not a day/],
    ['mon-tue-wed 09:00-10:00', /"mon-tue-wed" is not a day/],
    ['constructor 09:00-10:00', /"constructor" is not a day/],
    ['mon,,fri 09:00-10:00', /"" is not a day/],
    ['whenever', /"whenever" should look like "mon-fri 09:00-18:00"/],
    ['mon-fri', /"mon-fri" should look like/],
    ['mon 1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00,11:00-12:00,13:00-14:00', /more than 6 ranges/],
    ['', /the schedule is empty/],
    [' ; \n ', /the schedule is empty/],
  ])('refuses %j naming the problem', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(ServiceHoursError);
    expect(() => parseSchedule(text)).toThrow(message);
  });
});

describe('defaultServiceHours', () => {
  it('builds hours with no holidays or extra working dates', () => {
    expect(defaultServiceHours('sat 10:00-14:00', 'America/New_York')).toEqual({
      timezone: 'America/New_York',
      weekly: parseSchedule('sat 10:00-14:00'),
      holidays: [],
      extraWorkdays: [],
    });
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(() => defaultServiceHours('09:00-18:00', 'Mars/Olympus')).toThrow(ServiceHoursError);
    expect(() => defaultServiceHours('09:00-18:00', 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('isOpen', () => {
  const weekdays = inShanghai('mon-fri 09:00-18:00');

  it('is open inside a range and closed outside it', () => {
    expect(isOpen(weekdays, shanghai('2026-11-27T08:59:59'))).toBe(false);
    expect(isOpen(weekdays, shanghai('2026-11-27T09:00:00'))).toBe(true);
    expect(isOpen(weekdays, shanghai('2026-11-27T17:59:59'))).toBe(true);
    expect(isOpen(weekdays, shanghai('2026-11-27T18:00:00'))).toBe(false);
    expect(isOpen(weekdays, shanghai('2026-11-28T10:00:00'))).toBe(false); // Saturday
  });

  it('reads the day and time in the configured zone, not in UTC', () => {
    // Friday 16:30 UTC is Saturday 00:30 in Shanghai; Monday 01:00 UTC is Monday 09:00 there.
    expect(isOpen(weekdays, new Date('2026-11-27T16:30:00Z'))).toBe(false);
    expect(isOpen(weekdays, new Date('2026-11-30T01:00:00Z'))).toBe(true);
  });

  it('is closed in the gap between two ranges of a day', () => {
    const split = inShanghai('mon-fri 09:00-12:00,13:30-18:00');
    expect(isOpen(split, shanghai('2026-11-27T11:59:00'))).toBe(true);
    expect(isOpen(split, shanghai('2026-11-27T12:30:00'))).toBe(false);
    expect(isOpen(split, shanghai('2026-11-27T13:30:00'))).toBe(true);
  });

  it('an overnight Friday range is open early Saturday', () => {
    const nights = inShanghai('fri 22:00-02:00');
    expect(isOpen(nights, shanghai('2026-11-27T21:59:00'))).toBe(false);
    expect(isOpen(nights, shanghai('2026-11-27T23:30:00'))).toBe(true);
    expect(isOpen(nights, shanghai('2026-11-28T01:00:00'))).toBe(true);
    expect(isOpen(nights, shanghai('2026-11-28T01:59:00'))).toBe(true);
    expect(isOpen(nights, shanghai('2026-11-28T02:00:00'))).toBe(false);
    expect(isOpen(nights, shanghai('2026-11-27T01:00:00'))).toBe(false); // Thursday night was not open
  });

  it('a range ending at 24:00 runs to midnight, and 00:00-24:00 never closes', () => {
    const evenings = inShanghai('fri 20:00-24:00');
    expect(isOpen(evenings, shanghai('2026-11-27T23:59:59'))).toBe(true);
    expect(isOpen(evenings, shanghai('2026-11-28T00:00:00'))).toBe(false);
    const allDay = inShanghai('00:00-24:00');
    expect(isOpen(allDay, shanghai('2026-11-27T23:59:00'))).toBe(true);
    expect(isOpen(allDay, shanghai('2026-11-28T00:00:00'))).toBe(true);
  });

  it('a holiday is closed all day', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', { holidays: ['2026-11-27'] });
    expect(isOpen(hours, shanghai('2026-11-27T10:00:00'))).toBe(false);
    expect(isOpen(hours, shanghai('2026-11-26T10:00:00'))).toBe(true);
  });

  it('a holiday also cuts off the tail of an overnight range begun the evening before', () => {
    const hours = inShanghai('fri 22:00-02:00', { holidays: ['2026-11-28'] });
    expect(isOpen(hours, shanghai('2026-11-27T23:00:00'))).toBe(true);
    expect(isOpen(hours, shanghai('2026-11-28T01:00:00'))).toBe(false);
  });

  it('an overnight range does not start on a holiday, so the next morning is closed too', () => {
    const hours = inShanghai('fri 22:00-02:00', { holidays: ['2026-11-27'] });
    expect(isOpen(hours, shanghai('2026-11-27T23:00:00'))).toBe(false);
    expect(isOpen(hours, shanghai('2026-11-28T01:00:00'))).toBe(false);
  });

  it('an extra working date opens a closed day with its own ranges', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', { extraWorkdays: [{ date: '2026-11-28', ranges: [range('10:00', '12:00')] }] });
    expect(isOpen(hours, shanghai('2026-11-28T11:00:00'))).toBe(true);
    expect(isOpen(hours, shanghai('2026-11-28T13:00:00'))).toBe(false);
    expect(isOpen(hours, shanghai('2026-11-29T11:00:00'))).toBe(false); // the Sunday after stays closed
  });

  it('an extra working date replaces the weekly ranges of a day that is open anyway', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', { extraWorkdays: [{ date: '2026-11-27', ranges: [range('14:00', '16:00')] }] });
    expect(isOpen(hours, shanghai('2026-11-27T10:00:00'))).toBe(false);
    expect(isOpen(hours, shanghai('2026-11-27T15:00:00'))).toBe(true);
  });

  it('an overnight range on an extra working date runs into the next morning', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', { extraWorkdays: [{ date: '2026-11-28', ranges: [range('20:00', '03:00')] }] });
    expect(isOpen(hours, shanghai('2026-11-29T02:00:00'))).toBe(true);
    expect(isOpen(hours, shanghai('2026-11-29T03:00:00'))).toBe(false);
  });

  it('a holiday wins over an extra working date on the same day', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', {
      holidays: ['2026-11-28'],
      extraWorkdays: [{ date: '2026-11-28', ranges: [range('10:00', '12:00')] }],
    });
    expect(isOpen(hours, shanghai('2026-11-28T11:00:00'))).toBe(false);
  });

  it('follows the clocks going forward in New York', () => {
    const ny = defaultServiceHours('09:00-17:00', 'America/New_York');
    // 2026-03-08: clocks go forward. 13:30 UTC is 08:30 EST the day before, 09:30 EDT the day after.
    expect(isOpen(ny, new Date('2026-03-07T13:30:00Z'))).toBe(false);
    expect(isOpen(ny, new Date('2026-03-09T13:30:00Z'))).toBe(true);
    // 21:30 UTC is 16:30 EST before and 17:30 EDT after.
    expect(isOpen(ny, new Date('2026-03-07T21:30:00Z'))).toBe(true);
    expect(isOpen(ny, new Date('2026-03-09T21:30:00Z'))).toBe(false);
  });

  it('follows the clocks going back in New York', () => {
    const ny = defaultServiceHours('09:00-17:00', 'America/New_York');
    // 2026-11-01: clocks go back. 13:30 UTC is 09:30 EDT the day before, 08:30 EST the day after.
    expect(isOpen(ny, new Date('2026-10-31T13:30:00Z'))).toBe(true);
    expect(isOpen(ny, new Date('2026-11-02T13:30:00Z'))).toBe(false);
  });

  it('counts the repeated hour of a fall-back night by the wall clock, both times', () => {
    const ny = defaultServiceHours('01:00-01:30', 'America/New_York');
    expect(isOpen(ny, new Date('2026-11-01T05:15:00Z'))).toBe(true); // 01:15 EDT
    expect(isOpen(ny, new Date('2026-11-01T05:45:00Z'))).toBe(false); // 01:45 EDT
    expect(isOpen(ny, new Date('2026-11-01T06:15:00Z'))).toBe(true); // 01:15 EST
  });
});

describe('nextOpening', () => {
  const weekdays = inShanghai('mon-fri 09:00-12:00,13:30-18:00');

  it('is the moment itself while service is open', () => {
    const at = shanghai('2026-11-27T10:00:00');
    expect(nextOpening(weekdays, at)).toEqual(at);
  });

  it('is the next range of the same day during a break', () => {
    expect(nextOpening(weekdays, shanghai('2026-11-27T12:15:00'))).toEqual(shanghai('2026-11-27T13:30:00'));
  });

  it('skips a closed weekend to Monday morning', () => {
    expect(nextOpening(weekdays, shanghai('2026-11-27T18:00:00'))).toEqual(shanghai('2026-11-30T09:00:00'));
  });

  it('skips holidays and opens on an extra working date', () => {
    const hours = inShanghai('mon-fri 09:00-18:00', {
      holidays: ['2026-11-30', '2026-12-01'],
      extraWorkdays: [{ date: '2026-11-29', ranges: [range('10:00', '16:00')] }],
    });
    expect(nextOpening(hours, shanghai('2026-11-27T19:00:00'))).toEqual(shanghai('2026-11-29T10:00:00'));
    expect(nextOpening(hours, shanghai('2026-11-29T17:00:00'))).toEqual(shanghai('2026-12-02T09:00:00'));
  });

  it('finds an overnight range at its start the evening before', () => {
    expect(nextOpening(inShanghai('fri 22:00-02:00'), shanghai('2026-11-26T23:00:00'))).toEqual(shanghai('2026-11-27T22:00:00'));
  });

  it('is null when service stays closed for the next 14 days', () => {
    const mondays = inShanghai('mon 09:00-10:00', { holidays: ['2026-11-30', '2026-12-07'] });
    expect(nextOpening(mondays, shanghai('2026-11-27T12:00:00'))).toBeNull(); // next is 12-14, 17 days on
    expect(nextOpening(mondays, shanghai('2026-12-01T12:00:00'))).toEqual(shanghai('2026-12-14T09:00:00'));
    expect(nextOpening({ ...weekdays, weekly: { ...parseSchedule('mon 00:00-01:00'), mon: [] } }, new Date())).toBeNull();
  });

  it('opens after the clocks go forward in New York', () => {
    const ny = defaultServiceHours('09:00-17:00', 'America/New_York');
    // Saturday 17:00 EST; Sunday 09:00 is already EDT (13:00 UTC).
    expect(nextOpening(ny, new Date('2026-03-07T22:00:00Z'))).toEqual(new Date('2026-03-08T13:00:00Z'));
  });

  it('opens when the clocks jump past a start time that never happens', () => {
    const ny = defaultServiceHours('02:30-05:00', 'America/New_York');
    // 02:30 does not exist on 2026-03-08: at 07:00 UTC the clocks go from 02:00 EST to 03:00 EDT.
    expect(nextOpening(ny, new Date('2026-03-08T05:00:00Z'))).toEqual(new Date('2026-03-08T07:00:00Z'));
  });

  it('opens again when the clocks go back into a range', () => {
    const ny = defaultServiceHours('00:30-01:10', 'America/New_York');
    // 05:20 UTC is 01:20 EDT, closed; at 06:00 UTC the clocks go back to 01:00 EST, inside the range.
    expect(nextOpening(ny, new Date('2026-11-01T05:20:00Z'))).toEqual(new Date('2026-11-01T06:00:00Z'));
  });

  it('opens at the second 01:15 of a fall-back night', () => {
    const ny = defaultServiceHours('01:15-01:30', 'America/New_York');
    expect(nextOpening(ny, new Date('2026-11-01T05:45:00Z'))).toEqual(new Date('2026-11-01T06:15:00Z'));
  });
});

describe('formatSchedule', () => {
  it('groups consecutive days with the same hours', () => {
    const weekly = parseSchedule('mon-fri 09:00-18:00; sat 10:00-14:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周一至周五 09:00-18:00；周六 10:00-14:00');
    expect(formatSchedule(weekly, 'en')).toBe('Mon–Fri 09:00-18:00; Sat 10:00-14:00');
  });

  it('says every day when all seven agree', () => {
    expect(formatSchedule(parseSchedule('09:00-12:00,13:00-18:00'), 'zh')).toBe('每天 09:00-12:00、13:00-18:00');
    expect(formatSchedule(parseSchedule('09:00-12:00,13:00-18:00'), 'en')).toBe('Every day 09:00-12:00, 13:00-18:00');
  });

  it('does not group days that are not next to each other', () => {
    const weekly = parseSchedule('mon,wed 09:00-18:00; tue 10:00-12:00; sat-sun 10:00-16:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周一 09:00-18:00；周二 10:00-12:00；周三 09:00-18:00；周六至周日 10:00-16:00');
  });

  it('marks a range that runs into the next morning', () => {
    const weekly = parseSchedule('fri 22:00-02:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周五 22:00-次日02:00');
    expect(formatSchedule(weekly, 'en')).toBe('Fri 22:00-02:00 (next day)');
    expect(formatSchedule(parseSchedule('23:00-00:00'), 'zh')).toBe('每天 23:00-00:00');
  });

  it('says so when no day is open', () => {
    const closed = { ...parseSchedule('mon 09:00-10:00'), mon: [] };
    expect(formatSchedule(closed, 'zh')).toBe('暂无');
    expect(formatSchedule(closed, 'en')).toBe('none');
  });
});

describe('formatOpening', () => {
  it('names the local date, weekday and time', () => {
    const monday = new Date('2026-11-30T01:00:00Z');
    expect(formatOpening(monday, 'Asia/Shanghai', 'zh')).toBe('11月30日（周一）09:00');
    expect(formatOpening(monday, 'Asia/Shanghai', 'en')).toBe('Mon Nov 30, 09:00');
    expect(formatOpening(monday, 'America/New_York', 'en')).toBe('Sun Nov 29, 20:00');
  });
});

describe('serviceHoursSchema', () => {
  const hours = inShanghai('mon-fri 09:00-18:00', {
    holidays: ['2026-10-01'],
    extraWorkdays: [{ date: '2026-10-10', ranges: [range('09:00', '18:00')] }],
  });
  const problems = (value: unknown) => {
    const result = serviceHoursSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const withMonday = (mon: TimeRange[]) => ({ ...hours, weekly: { ...hours.weekly, mon } });

  it('accepts hours built by defaultServiceHours, with holidays and extra working dates', () => {
    expect(serviceHoursSchema.parse(hours)).toEqual(hours);
    expect(serviceHoursSchema.parse(inShanghai('fri 22:00-02:00; sat 00:00-24:00'))).toBeTruthy();
  });

  it.each<[string, unknown, RegExp]>([
    ['a zone that is not IANA', { ...hours, timezone: 'Nowhere/City' }, /^timezone: not an IANA time zone/],
    ['a time without minutes', withMonday([range('9', '10:00')]), /^weekly.mon.0.start: not a time/],
    ['a time past 24:00', withMonday([range('09:00', '24:30')]), /^weekly.mon.0.end: not a time/],
    ['a range starting at 24:00', withMonday([range('24:00', '10:00')]), /^weekly.mon.0.start: a range cannot start at 24:00/],
    ['an empty range', withMonday([range('10:00', '10:00')]), /^weekly.mon.0.end: a range cannot start and end/],
    ['seven ranges in a day', withMonday(Array(7).fill(range('09:00', '10:00'))), /^weekly.mon: /],
    ['a week missing a day', { ...hours, weekly: { ...hours.weekly, sun: undefined } }, /^weekly.sun: /],
    ['a holiday that is not a date', { ...hours, holidays: ['2026-02-30'] }, /^holidays.0: not a date/],
    ['a holiday in another format', { ...hours, holidays: ['2026/10/01'] }, /^holidays.0: not a date/],
    ['an extra working date with no ranges', { ...hours, extraWorkdays: [{ date: '2026-10-10', ranges: [] }] }, /^extraWorkdays.0.ranges: /],
    [
      'an extra working date listed twice',
      { ...hours, extraWorkdays: [...hours.extraWorkdays, ...hours.extraWorkdays] },
      /^extraWorkdays.1.date: 2026-10-10 is listed twice/,
    ],
    ['an extra working date that is also a holiday', { ...hours, holidays: ['2026-10-10'] }, /^extraWorkdays.0.date: 2026-10-10 is also a holiday/],
  ])('refuses %s', (_, value, problem) => {
    expect(problems(value)).toEqual([expect.stringMatching(problem)]);
  });
});
