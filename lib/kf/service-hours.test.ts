import { describe, expect, it } from 'vitest';
import { defaultServiceHours, formatSchedule, isOpen, parseSchedule, ServiceHoursError, serviceHoursSchema } from './service-hours';

// 2026-11-27 is a Friday. Shanghai is UTC+8 all year.
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('parseSchedule', () => {
  it('reads a bare range as every day', () => {
    const weekly = parseSchedule('09:00-18:00');
    expect(Object.values(weekly).every((r) => r.length === 1 && r[0]!.start === '09:00' && r[0]!.end === '18:00')).toBe(true);
  });

  it('reads days, several ranges and several segments', () => {
    const weekly = parseSchedule('mon-fri 09:00-12:00,13:30-18:00; Sat 10:00–14:00');
    expect(weekly.wed).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ]);
    expect(weekly.sat).toEqual([{ start: '10:00', end: '14:00' }]);
    expect(weekly.sun).toEqual([]);
  });

  it('reads Chinese day names and wrapping day ranges', () => {
    expect(parseSchedule('周六至周一 10:00-16:00').mon).toEqual([{ start: '10:00', end: '16:00' }]);
    expect(parseSchedule('星期三 8:00~9:30').wed).toEqual([{ start: '08:00', end: '09:30' }]);
    expect(parseSchedule('sat-mon 10:00-16:00').tue).toEqual([]);
  });

  it.each([
    ['25:00-26:00', /"25:00" is not a time/],
    ['mon-xyz 09:00-10:00', /"mon-xyz" is not a day/],
    ['09:00-09:00', /empty/],
    ['whenever', /should look like/],
    ['', /empty/],
  ])('refuses %j naming the problem', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(ServiceHoursError);
    expect(() => parseSchedule(text)).toThrow(message);
  });
});

describe('isOpen', () => {
  const weekdays = defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai');

  it('is open inside a range and closed outside it, in the configured zone', () => {
    expect(isOpen(weekdays, shanghai('2026-11-27T09:00:00'))).toBe(true);
    expect(isOpen(weekdays, shanghai('2026-11-27T17:59:00'))).toBe(true);
    expect(isOpen(weekdays, shanghai('2026-11-27T18:00:00'))).toBe(false);
    expect(isOpen(weekdays, shanghai('2026-11-28T10:00:00'))).toBe(false); // Saturday
    // 02:00 UTC on Friday is 10:00 in Shanghai.
    expect(isOpen(weekdays, new Date('2026-11-27T02:00:00Z'))).toBe(true);
  });

  it('an overnight Friday range is open early Saturday', () => {
    const nights = defaultServiceHours('fri 22:00-02:00', 'Asia/Shanghai');
    expect(isOpen(nights, shanghai('2026-11-27T23:30:00'))).toBe(true);
    expect(isOpen(nights, shanghai('2026-11-28T01:59:00'))).toBe(true);
    expect(isOpen(nights, shanghai('2026-11-28T02:00:00'))).toBe(false);
    expect(isOpen(nights, shanghai('2026-11-27T01:00:00'))).toBe(false); // Thursday night was not open
  });

  it('24:00 means the end of the day', () => {
    const allDay = defaultServiceHours('00:00-24:00', 'Asia/Shanghai');
    expect(isOpen(allDay, shanghai('2026-11-27T23:59:00'))).toBe(true);
    expect(isOpen(allDay, shanghai('2026-11-28T00:00:00'))).toBe(true);
  });

  it('a holiday is closed all day, and an extra working date is open', () => {
    const hours = { ...weekdays, holidays: ['2026-11-27'], extraWorkdays: [{ date: '2026-11-28', ranges: [{ start: '10:00', end: '12:00' }] }] };
    expect(isOpen(hours, shanghai('2026-11-27T10:00:00'))).toBe(false);
    expect(isOpen(hours, shanghai('2026-11-28T11:00:00'))).toBe(true);
    expect(isOpen(hours, shanghai('2026-11-28T13:00:00'))).toBe(false);
  });

  it('follows daylight saving time in zones that have it', () => {
    const ny = defaultServiceHours('09:00-17:00', 'America/New_York');
    // 2026-03-08: clocks go forward. 13:30 UTC is 08:30 EST the day before, 09:30 EDT after.
    expect(isOpen(ny, new Date('2026-03-07T13:30:00Z'))).toBe(false);
    expect(isOpen(ny, new Date('2026-03-09T13:30:00Z'))).toBe(true);
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
  });
});

describe('serviceHoursSchema', () => {
  it('accepts what defaultServiceHours builds and refuses a bad zone or time', () => {
    const hours = defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai');
    expect(serviceHoursSchema.safeParse(hours).success).toBe(true);
    expect(serviceHoursSchema.safeParse({ ...hours, timezone: 'Nowhere/City' }).success).toBe(false);
    expect(serviceHoursSchema.safeParse({ ...hours, weekly: { ...hours.weekly, mon: [{ start: '9', end: '10:00' }] } }).success).toBe(false);
  });
});
