import { describe, expect, it } from 'vitest';
import { isOpen, nextClosing, nextOpening } from './evaluate';
import type { ServiceHours, TimeRange } from './model';
import { defaultServiceHours, parseSchedule } from './parse';

// 2026-11-27 is a Friday. Shanghai is UTC+8 all year.
const shanghai = (local: string) => new Date(`${local}+08:00`);
const inShanghai = (schedule: string, extra: Partial<ServiceHours> = {}): ServiceHours => ({
  ...defaultServiceHours(schedule, 'Asia/Shanghai'),
  ...extra,
});
const range = (start: string, end: string): TimeRange => ({ start, end });

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

describe('nextClosing', () => {
  const weekdays = inShanghai('mon-fri 09:00-18:00');

  it('is the instant itself when closed, else the end of the range it is in', () => {
    const closed = shanghai('2026-11-27T08:00:00');
    expect(nextClosing(weekdays, closed)).toEqual(closed);
    expect(nextClosing(weekdays, shanghai('2026-11-27T10:00:00'))).toEqual(shanghai('2026-11-27T18:00:00'));
  });

  it('runs on through ranges that meet, and through midnight in an overnight range', () => {
    const split = inShanghai('mon-sun 00:00-12:00, 12:00-24:00', { holidays: ['2026-11-29'] });
    expect(nextClosing(split, shanghai('2026-11-27T10:00:00'))).toEqual(shanghai('2026-11-29T00:00:00'));
    const nights = inShanghai('mon-fri 22:00-06:00');
    expect(nextClosing(nights, shanghai('2026-11-27T23:00:00'))).toEqual(shanghai('2026-11-28T06:00:00'));
    // Thursday's night range, still running on Friday morning.
    expect(nextClosing(nights, shanghai('2026-11-27T05:00:00'))).toEqual(shanghai('2026-11-27T06:00:00'));
  });

  it('is null when service stays open for the whole look-ahead', () => {
    expect(nextClosing(inShanghai('mon-sun 00:00-24:00'), shanghai('2026-11-27T10:00:00'))).toBeNull();
  });
});
