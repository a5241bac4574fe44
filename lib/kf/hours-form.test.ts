import { describe, expect, it } from 'vitest';
import { closedWeek } from '@/lib/service-hours/model';
import { addHolidayRows, compressDates, expandDateSpans, findOverlaps, normalizeTimeText, parseDateList } from './hours-form';

const week = (partial: Partial<ReturnType<typeof closedWeek>>) => ({ ...closedWeek(), ...partial });

describe('findOverlaps', () => {
  it('reports two ranges of one day that overlap, at the later one', () => {
    const issues = findOverlaps({ weekly: week({ mon: [{ start: '09:00', end: '12:00' }, { start: '11:30', end: '18:00' }] }), extraWorkdays: [] });
    expect(issues).toEqual([{ path: ['weekly', 'mon', 1, 'start'], code: 'settings.hours.overlap', params: { other: '09:00-12:00' } }]);
  });

  it('accepts ranges that touch (12:00 end, 12:00 start) and a day ending at 24:00', () => {
    const weekly = week({ mon: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '24:00' }], tue: [{ start: '00:00', end: '08:00' }] });
    expect(findOverlaps({ weekly, extraWorkdays: [] })).toEqual([]);
  });

  it('sees an overnight range run into the next morning', () => {
    const weekly = week({ fri: [{ start: '22:00', end: '02:00' }], sat: [{ start: '01:00', end: '05:00' }] });
    expect(findOverlaps({ weekly, extraWorkdays: [] })).toEqual([
      { path: ['weekly', 'sat', 0, 'start'], code: 'settings.hours.overlap', params: { other: '22:00-02:00' } },
    ]);
  });

  it('wraps Sunday night into Monday morning', () => {
    const weekly = week({ mon: [{ start: '01:00', end: '09:00' }], sun: [{ start: '23:00', end: '03:00' }] });
    expect(findOverlaps({ weekly, extraWorkdays: [] }).map((i) => i.path)).toEqual([['weekly', 'sun', 0, 'start']]);
  });

  it('checks the ranges of an extra working date among themselves', () => {
    const extraWorkdays = [{ date: '2026-10-11', ranges: [{ start: '09:00', end: '18:00' }, { start: '17:00', end: '19:00' }] }];
    expect(findOverlaps({ weekly: closedWeek(), extraWorkdays }).map((i) => i.path)).toEqual([['extraWorkdays', 0, 'ranges', 1, 'start']]);
  });
});

describe('holiday spans', () => {
  it('expands ranges to dates across a month end, without repeats', () => {
    const { dates, issues } = expandDateSpans([{ from: '2026-09-30', to: '2026-10-02' }, { from: '2026-10-01' }]);
    expect(issues).toEqual([]);
    expect(dates).toEqual(['2026-09-30', '2026-10-01', '2026-10-02']);
  });

  it('refuses a range that ends before it starts, or runs for months', () => {
    expect(expandDateSpans([{ from: '2026-10-07', to: '2026-10-01' }]).issues[0]).toMatchObject({ path: ['holidays', 0, 'to'], code: 'settings.hours.rangeBackwards' });
    expect(expandDateSpans([{ from: '2026-01-01', to: '2026-12-31' }]).issues[0]).toMatchObject({ code: 'settings.hours.rangeTooLong' });
  });

  it('shows consecutive dates as one span again', () => {
    expect(compressDates(['2026-10-02', '2026-10-01', '2026-10-03', '2026-12-25'])).toEqual([
      { from: '2026-10-01', to: '2026-10-03' },
      { from: '2026-12-25', to: '2026-12-25' },
    ]);
  });

  it('reads a pasted list in the ways people write it, and returns what it cannot read', () => {
    const { spans, unreadable } = parseDateList('2027-10-01～2027-10-07\n2027-01-01\n2027-02-10 至 2027-02-12, 2027-05-01..2027-05-03\n国庆');
    expect(spans).toEqual([
      { from: '2027-10-01', to: '2027-10-07' },
      { from: '2027-01-01', to: '2027-01-01' },
      { from: '2027-02-10', to: '2027-02-12' },
      { from: '2027-05-01', to: '2027-05-03' },
    ]);
    expect(unreadable).toEqual(['国庆']);
  });

  it('reads dates written with slashes, dots or one-digit months, and a range written end first', () => {
    const { spans, unreadable } = parseDateList('2027/03/01\n2027-5-1\n2027.6.9~2027.6.10\n2027-10-07~2027-10-01\n27-10-01');
    expect(spans).toEqual([
      { from: '2027-03-01', to: '2027-03-01' },
      { from: '2027-05-01', to: '2027-05-01' },
      { from: '2027-06-09', to: '2027-06-10' },
      { from: '2027-10-01', to: '2027-10-07' },
    ]);
    expect(unreadable).toEqual(['27-10-01']);
  });

  it('returns a date that has the shape but is no day, rather than rolling it into the next month', () => {
    const { spans, unreadable } = parseDateList('2027-02-30\n2027-02-27~2027-02-29\n2028-02-29');
    expect(spans).toEqual([{ from: '2028-02-29', to: '2028-02-29' }]);
    expect(unreadable).toEqual(['2027-02-30', '2027-02-27~2027-02-29']);
  });
});

describe('addHolidayRows (pasting or importing dates)', () => {
  it('keeps the rows there as typed, even ones the form will refuse, and appends the new dates', () => {
    const typed = [
      { from: '2027-02-30', to: '2027-03-05' }, // no such day
      { from: '2027-10-07', to: '2027-10-01' }, // backwards
      { from: '1999-01-01', to: '2099-12-31' }, // too long
      { from: '2027-05-01', to: '2027-05-03' },
    ];
    const { rows, added } = addHolidayRows(typed, [{ from: '2027-11-11', to: '2027-11-11' }]);
    expect(rows).toEqual([
      { from: '1999-01-01', to: '2099-12-31' },
      { from: '2027-02-30', to: '2027-03-05' },
      { from: '2027-05-01', to: '2027-05-03' },
      { from: '2027-10-07', to: '2027-10-01' },
      { from: '2027-11-11', to: '2027-11-11' },
    ]);
    expect(added).toBe(1);
  });

  it('merges the added days into ranges, leaves out what a row already covers, and counts what it added', () => {
    const { rows, added } = addHolidayRows(
      [{ from: '2027-10-01', to: '2027-10-03' }],
      ['2027-10-02', '2027-10-04', '2027-10-05', '2028-01-01'].map((d) => ({ from: d, to: d })),
    );
    expect(rows).toEqual([
      { from: '2027-10-01', to: '2027-10-03' },
      { from: '2027-10-04', to: '2027-10-05' },
      { from: '2028-01-01', to: '2028-01-01' },
    ]);
    expect(added).toBe(2);
    expect(addHolidayRows(rows, [{ from: '2027-10-02', to: '2027-10-02' }]).added).toBe(0);
  });

  it('refuses a span longer than one row may be, instead of adding nothing and saying it did', () => {
    const { rows, added, tooLong } = addHolidayRows([], [{ from: '2027-01-01', to: '2027-04-30' }]);
    expect(rows).toEqual([]);
    expect(added).toBe(0);
    expect(tooLong).toEqual([{ from: '2027-01-01', to: '2027-04-30' }]);
  });
});

describe('normalizeTimeText', () => {
  it('writes a typed time as the schedule takes it', () => {
    expect(normalizeTimeText('9:00')).toBe('09:00');
    expect(normalizeTimeText(' 18:30 ')).toBe('18:30');
    expect(normalizeTimeText('９：００')).toBe('09:00');
    expect(normalizeTimeText('9.30')).toBe('09:30');
  });

  it('leaves what it cannot read as typed, for the form to refuse', () => {
    expect(normalizeTimeText('99:99')).toBe('99:99');
    expect(normalizeTimeText('9')).toBe('9');
    expect(normalizeTimeText('nine')).toBe('nine');
  });
});
