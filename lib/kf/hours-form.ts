// Service hours as the settings page edits them, on top of lib/service-hours' stored shape: holidays
// as date ranges (a week of National Day is one row), and the checks a person needs beside the field
// that the webhook does not (overlapping ranges are harmless to isOpen, but always a typo).
// Pure: the form's preview runs it in the browser too.
import { WEEKDAYS, type ServiceHours, type TimeRange, type Weekday } from '@/lib/service-hours';
import { isCalendarDate } from '@/lib/service-hours/clock';

const DAY_MS = 86_400_000;
const WEEK_MINUTES = 7 * 24 * 60;
/** A pasted range longer than this is a typo (2026-01-01..2027-01-01), not a holiday. */
export const MAX_HOLIDAY_RANGE_DAYS = 62;

const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export interface HoursIssue {
  path: (string | number)[];
  code: 'settings.hours.overlap' | 'settings.hours.rangeBackwards' | 'settings.hours.rangeTooLong';
  params: Record<string, string | number>;
}

function span(r: TimeRange): [number, number] {
  const start = minuteOf(r.start);
  const end = minuteOf(r.end);
  return [start, end <= start ? end + 24 * 60 : end];
}

const label = (r: TimeRange) => `${r.start}-${r.end}`;

/**
 * Ranges that overlap, on one weekday or across midnight into the next (fri 22:00-02:00 and
 * sat 01:00-05:00), and within one extra working date. Each is reported at the later range's start.
 */
export function findOverlaps(hours: Pick<ServiceHours, 'weekly' | 'extraWorkdays'>): HoursIssue[] {
  const issues: HoursIssue[] = [];
  const week: { day: Weekday; index: number; from: number; to: number; range: TimeRange }[] = [];
  WEEKDAYS.forEach((day, d) =>
    hours.weekly[day].forEach((range, index) => {
      const [from, to] = span(range);
      week.push({ day, index, from: d * 24 * 60 + from, to: d * 24 * 60 + to, range });
    }),
  );
  for (const [i, a] of week.entries()) {
    for (const b of week.slice(0, i)) {
      // The week wraps: sun 22:00-02:00 runs into Monday.
      const hit = [0, WEEK_MINUTES, -WEEK_MINUTES].some((shift) => a.from < b.to + shift && b.from + shift < a.to);
      if (hit) {
        issues.push({ path: ['weekly', a.day, a.index, 'start'], code: 'settings.hours.overlap', params: { other: label(b.range) } });
        break;
      }
    }
  }
  hours.extraWorkdays.forEach((extra, e) =>
    extra.ranges.forEach((range, index) => {
      const [from, to] = span(range);
      const other = extra.ranges.slice(0, index).find((r) => {
        const [f, t] = span(r);
        return from < t && f < to;
      });
      if (other) issues.push({ path: ['extraWorkdays', e, 'ranges', index, 'start'], code: 'settings.hours.overlap', params: { other: label(other) } });
    }),
  );
  return issues;
}

export interface DateSpan {
  from: string;
  /** Empty or equal to from: one day. */
  to?: string;
}

/** The dates of each span, in order, without repeats; problems at `holidays.<i>.to`. */
export function expandDateSpans(spans: DateSpan[]): { dates: string[]; issues: HoursIssue[] } {
  const dates = new Set<string>();
  const issues: HoursIssue[] = [];
  spans.forEach(({ from, to }, i) => {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = to ? Date.parse(`${to}T00:00:00Z`) : start;
    if (end < start) return issues.push({ path: ['holidays', i, 'to'], code: 'settings.hours.rangeBackwards', params: { from, to: to ?? '' } });
    if (spanDays({ from, to }) > MAX_HOLIDAY_RANGE_DAYS) {
      return issues.push({ path: ['holidays', i, 'to'], code: 'settings.hours.rangeTooLong', params: { max: MAX_HOLIDAY_RANGE_DAYS } });
    }
    for (let t = start; t <= end; t += DAY_MS) dates.add(new Date(t).toISOString().slice(0, 10));
  });
  return { dates: [...dates].sort(), issues };
}

/** Consecutive dates as one span: how the page shows stored holidays. */
export function compressDates(dates: readonly string[]): Required<DateSpan>[] {
  const spans: Required<DateSpan>[] = [];
  for (const date of [...new Set(dates)].sort()) {
    const last = spans.at(-1);
    if (last && Date.parse(`${date}T00:00:00Z`) - Date.parse(`${last.to}T00:00:00Z`) === DAY_MS) last.to = date;
    else spans.push({ from: date, to: date });
  }
  return spans;
}

/**
 * Holiday rows with dates added (pasted, or a year imported): the rows already there are kept as
 * they are, even one the form will refuse on save (a backwards range, 2027-02-30), so nothing typed
 * is rewritten or lost. The added dates are merged among themselves (consecutive days one row) and
 * left out where a sound row already covers them; a span too long for one row is refused, not
 * added. `added` counts the rows appended.
 */
export function addHolidayRows(current: readonly DateSpan[], spans: readonly DateSpan[]): { rows: DateSpan[]; added: number; tooLong: DateSpan[] } {
  const tooLong = spans.filter((s) => spanDays(s) > MAX_HOLIDAY_RANGE_DAYS);
  const fitting = spans.filter((s) => spanDays(s) <= MAX_HOLIDAY_RANGE_DAYS);
  const covered = new Set(expandDateSpans(current.filter(isSoundSpan)).dates);
  const { dates } = expandDateSpans(fitting);
  const fresh = compressDates(dates.filter((date) => !covered.has(date)));
  const rows = [...current, ...fresh].sort((a, b) => a.from.localeCompare(b.from));
  return { rows, added: fresh.length, tooLong };
}

/** Days a span covers, both ends counted (0 for one that runs backwards). */
function spanDays({ from, to }: DateSpan): number {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = to ? Date.parse(`${to}T00:00:00Z`) : start;
  return end < start ? 0 : (end - start) / DAY_MS + 1;
}

/** Real dates, in order, and not too long: a row the form would save as it stands. */
function isSoundSpan(span: DateSpan): boolean {
  const to = span.to || span.from;
  return isCalendarDate(span.from) && isCalendarDate(to) && span.from <= to && spanDays(span) <= MAX_HOLIDAY_RANGE_DAYS;
}

/**
 * A time as typed, in the form the schedule takes: 9:00 → 09:00, and a full-width colon (９：００, as a
 * Chinese keyboard types it) or a dot as the separator. Anything else is left as typed, for the form
 * to refuse beside the field.
 */
export function normalizeTimeText(text: string): string {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.normalize('NFKC').trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : text;
}

// A date as people paste it: 2027-10-01, 2027/10/1, 2027.5.1 (year first, always).
const PASTED_DATE = String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`;
const PASTED_SPAN = new RegExp(String.raw`^${PASTED_DATE}(?:\s*(?:\.\.|~|–|—|至|到|-(?=\s*\d{4}[-/.]))\s*${PASTED_DATE})?$`);

const isoDate = (year: string, month: string, day: string) => `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;

/**
 * A pasted list: one date or range per line or comma (2026-10-01, 2026/10/1, 2026-10-01~2026-10-07,
 * 2026-10-01..2026-10-07, 2026-10-01 至 2026-10-07). A range written end first is taken the right
 * way round. Anything unreadable is returned, not guessed.
 */
export function parseDateList(text: string): { spans: DateSpan[]; unreadable: string[] } {
  const spans: DateSpan[] = [];
  const unreadable: string[] = [];
  for (const part of text.normalize('NFKC').split(/[\n,;、]+/).map((p) => p.trim()).filter(Boolean)) {
    const match = PASTED_SPAN.exec(part);
    const from = match && isoDate(match[1]!, match[2]!, match[3]!);
    const to = match && (match[4] === undefined ? from : isoDate(match[4], match[5]!, match[6]!));
    // 2027-02-30 has the shape but is no day: refused, not rolled over to 2 March.
    if (from && to && isCalendarDate(from) && isCalendarDate(to)) spans.push(from <= to ? { from, to } : { from: to, to: from });
    else unreadable.push(part);
  }
  return { spans, unreadable };
}
