// Service hours: a weekly schedule in an IANA time zone, with holidays and extra working dates (调休).
// Only Intl is used (no date library), so any zone works, daylight saving time included.
//
// Rules, decided once here:
// - A range whose end is before its start runs overnight: `fri 22:00-02:00` is open Saturday 01:00.
// - A holiday closes its whole local date, even the tail of an overnight range begun the evening
//   before: on a holiday nobody should be left waiting at 01:00 for an agent who is off.
// - An extra working date replaces that date's weekly ranges (and may open a day that is closed).
// - A date that is both a holiday and an extra working date is a holiday; the schema refuses it.
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** start and end as HH:MM; end may be 24:00; an end before the start runs past midnight. */
export interface TimeRange {
  start: string;
  end: string;
}

export interface ServiceHours {
  timezone: string;
  weekly: Record<Weekday, TimeRange[]>;
  /** Local dates (YYYY-MM-DD) closed all day, even the tail of a range begun the evening before. */
  holidays: string[];
  /** Local dates open with these ranges whatever the weekly schedule says. */
  extraWorkdays: { date: string; ranges: TimeRange[] }[];
}

export class ServiceHoursError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceHoursError';
  }
}

/** More ranges than this in one day is a typo, and would make the follower's text unreadable. */
export const MAX_RANGES_PER_DAY = 6;
/** How far ahead nextOpening looks; a longer closure is better announced by a person. */
export const LOOKAHEAD_DAYS = 14;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

// ---------------------------------------------------------------- parsing a schedule text

// A Map, not an object literal, so "constructor" is not mistaken for a day.
const DAY_NAMES = new Map<string, Weekday>(
  (
    [
      ['mon', ['mon', 'monday', '周一', '星期一']],
      ['tue', ['tue', 'tues', 'tuesday', '周二', '星期二']],
      ['wed', ['wed', 'wednesday', '周三', '星期三']],
      ['thu', ['thu', 'thur', 'thurs', 'thursday', '周四', '星期四']],
      ['fri', ['fri', 'friday', '周五', '星期五']],
      ['sat', ['sat', 'saturday', '周六', '星期六']],
      ['sun', ['sun', 'sunday', '周日', '周天', '星期日', '星期天']],
    ] as const
  ).flatMap(([day, names]) => names.map((name) => [name, day] as const)),
);
const EVERY_DAY = new Set(['daily', 'everyday', 'every day', '每天', '每日']);

// The text is NFKC-normalized first, so ～ ， ； ： arrive as ~ , ; :
const SEGMENT_SEPARATOR = /[;\n]/;
const LIST_SEPARATOR = /\s*[,、]\s*/;
const TIME_SEPARATOR = /\s*[-–~至]\s*/;
const DAY_SEPARATOR = /\s*[-–~至到]\s*/;
// Days are whatever precedes the first digit, so 周一至周五09:00-18:00 needs no space.
const SEGMENT = /^(\D*?)[\s:]*(\d.*)$/;

function parseTime(text: string): string {
  const time = /^\d:\d\d$/.test(text) ? `0${text}` : text;
  if (!TIME.test(time)) throw new ServiceHoursError(`"${text}" is not a time; times should look like 09:00 (00:00 to 24:00)`);
  return time;
}

function parseRange(text: string): TimeRange {
  const parts = text.split(TIME_SEPARATOR);
  if (parts.length !== 2 || parts.includes('')) throw new ServiceHoursError(`"${text}" is not a range like 09:00-18:00`);
  const start = parseTime(parts[0]!);
  const end = parseTime(parts[1]!);
  if (start === '24:00') throw new ServiceHoursError(`"${text}" starts at 24:00; write 00:00`);
  if (start === end) throw new ServiceHoursError(`"${text}" is empty: it starts and ends at ${start}`);
  return { start, end };
}

function parseDayRange(text: string): Weekday[] {
  const ends = text.split(DAY_SEPARATOR);
  const first = DAY_NAMES.get(ends[0] ?? '');
  const last = DAY_NAMES.get(ends.at(-1) ?? '');
  if (ends.length > 2 || !first || !last) throw new ServiceHoursError(`"${text}" is not a day or a range of days like mon-fri`);
  const days: Weekday[] = [];
  // sat-mon wraps over the end of the week.
  for (let i = WEEKDAYS.indexOf(first); ; i = (i + 1) % 7) {
    days.push(WEEKDAYS[i]!);
    if (WEEKDAYS[i] === last) return days;
  }
}

function parseDays(text: string): Weekday[] {
  const days = new Set<Weekday>();
  for (const part of text.toLowerCase().split(LIST_SEPARATOR)) {
    const named = EVERY_DAY.has(part) ? WEEKDAYS : parseDayRange(part);
    for (const day of named) days.add(day);
  }
  return [...days];
}

function parseSegment(segment: string): { days: readonly Weekday[]; ranges: TimeRange[] } {
  const match = SEGMENT.exec(segment);
  if (!match) throw new ServiceHoursError(`"${segment}" should look like "mon-fri 09:00-18:00"`);
  const days = match[1] ? parseDays(match[1]) : WEEKDAYS;
  const ranges = match[2]!.trim().split(LIST_SEPARATOR).map(parseRange);
  if (ranges.length > MAX_RANGES_PER_DAY) throw new ServiceHoursError(`"${segment}" has more than ${MAX_RANGES_PER_DAY} ranges`);
  return { days, ranges };
}

function closedWeek(): Record<Weekday, TimeRange[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/**
 * "09:00-18:00" (every day) or "mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00". A day named in a
 * later segment takes that segment's ranges, so "daily 09:00-18:00; sun 10:00-16:00" reads naturally.
 */
export function parseSchedule(text: string): Record<Weekday, TimeRange[]> {
  const segments = text.normalize('NFKC').split(SEGMENT_SEPARATOR).map((s) => s.trim()).filter(Boolean);
  if (segments.length === 0) throw new ServiceHoursError('the schedule is empty');
  const weekly = closedWeek();
  for (const segment of segments) {
    const { days, ranges } = parseSegment(segment);
    for (const day of days) weekly[day] = ranges.map((r) => ({ ...r }));
  }
  return weekly;
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export function defaultServiceHours(scheduleText: string, timezone: string): ServiceHours {
  if (!isTimeZone(timezone)) throw new ServiceHoursError(`"${timezone}" is not an IANA time zone such as Asia/Shanghai`);
  return { timezone, weekly: parseSchedule(scheduleText), holidays: [], extraWorkdays: [] };
}

// ---------------------------------------------------------------- wall clock in a zone

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The local wall-clock time at instant t, as milliseconds on a UTC axis (so Date.UTC arithmetic works). */
function wallClock(t: number, timezone: string): number {
  const part = Object.fromEntries(formatterFor(timezone).formatToParts(t).map((p) => [p.type, Number(p.value)]));
  const millis = ((t % 1000) + 1000) % 1000;
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) + millis;
}

const offsetAt = (t: number, timezone: string) => wallClock(t, timezone) - t;
const dateOfWall = (wall: number) => new Date(wall).toISOString().slice(0, 10);
const wallOfDate = (date: string) => Date.parse(`${date}T00:00:00Z`);
const addDays = (date: string, days: number) => dateOfWall(wallOfDate(date) + days * DAY);
const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(wallOfDate(date)).getUTCDay() + 6) % 7]!;

/**
 * Every instant whose wall clock reads `wall`: none in a spring-forward gap, two in a fall-back
 * hour. Assumes at most one offset change within a day and a half, which holds for every real zone.
 */
function instantsAtWall(wall: number, timezone: string): number[] {
  const offsets = new Set([offsetAt(wall - DAY, timezone), offsetAt(wall + DAY, timezone)]);
  return [...offsets].map((offset) => wall - offset).filter((t) => wallClock(t, timezone) === wall);
}

/** Instants in (from, until] where the zone's offset changes; the clock jumps there, so opening can too. */
function offsetChanges(from: number, until: number, timezone: string): number[] {
  const changes: number[] = [];
  for (let lo = from; lo < until; lo += DAY) {
    const hi = Math.min(lo + DAY, until);
    const before = offsetAt(lo, timezone);
    if (offsetAt(hi, timezone) === before) continue;
    // Offsets change on whole minutes; bisect minutes for the first one with the new offset.
    let a = Math.floor(lo / MINUTE);
    let b = Math.ceil(hi / MINUTE);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (offsetAt(mid * MINUTE, timezone) === before) a = mid;
      else b = mid;
    }
    changes.push(b * MINUTE);
  }
  return changes;
}

// ---------------------------------------------------------------- open or closed

function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

const isOvernight = (r: TimeRange) => minuteOf(r.end) < minuteOf(r.start);

function rangesOn(hours: ServiceHours, date: string): TimeRange[] {
  if (hours.holidays.includes(date)) return [];
  return hours.extraWorkdays.find((e) => e.date === date)?.ranges ?? hours.weekly[weekdayOf(date)];
}

/** Whether r, started on this date, covers this minute of the same date. */
function coversSameDay(r: TimeRange, minute: number): boolean {
  return minute >= minuteOf(r.start) && (isOvernight(r) || minute < minuteOf(r.end));
}

export function isOpen(hours: ServiceHours, at: Date): boolean {
  const wall = wallClock(at.getTime(), hours.timezone);
  const date = dateOfWall(wall);
  const minute = Math.floor((wall - wallOfDate(date)) / MINUTE);
  if (hours.holidays.includes(date)) return false;
  if (rangesOn(hours, date).some((r) => coversSameDay(r, minute))) return true;
  return rangesOn(hours, addDays(date, -1)).some((r) => isOvernight(r) && minute < minuteOf(r.end));
}

/**
 * The first instant at or after `at` when service is open (`at` itself when open now), or null when
 * it stays closed for LOOKAHEAD_DAYS. Service can only open where a range starts or where the clock
 * jumps (daylight saving), so those are the only candidates, each checked with isOpen.
 */
export function nextOpening(hours: ServiceHours, at: Date): Date | null {
  if (isOpen(hours, at)) return new Date(at.getTime());
  const from = at.getTime();
  const until = from + LOOKAHEAD_DAYS * DAY;
  const firstDate = dateOfWall(wallClock(from, hours.timezone));
  const candidates = offsetChanges(from, until, hours.timezone);
  for (let i = 0; i <= LOOKAHEAD_DAYS + 1; i++) {
    const date = addDays(firstDate, i);
    for (const r of rangesOn(hours, date)) {
      candidates.push(...instantsAtWall(wallOfDate(date) + minuteOf(r.start) * MINUTE, hours.timezone));
    }
  }
  const opening = candidates
    .filter((t) => t > from && t <= until)
    .sort((a, b) => a - b)
    .find((t) => isOpen(hours, new Date(t)));
  return opening === undefined ? null : new Date(opening);
}

// ---------------------------------------------------------------- texts for followers

const WORDS = {
  zh: {
    days: { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' },
    through: '至',
    rangeJoin: '、',
    groupJoin: '；',
    everyDay: '每天',
    none: '暂无',
    overnight: (r: TimeRange) => `${r.start}-次日${r.end}`,
  },
  en: {
    days: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
    through: '–',
    rangeJoin: ', ',
    groupJoin: '; ',
    everyDay: 'Every day',
    none: 'none',
    overnight: (r: TimeRange) => `${r.start}-${r.end} (next day)`,
  },
} as const;

function formatRange(r: TimeRange, locale: 'zh' | 'en'): string {
  // An end of 00:00 is just midnight; only a range that runs on into the morning says "next day".
  return isOvernight(r) && r.end !== '00:00' ? WORDS[locale].overnight(r) : `${r.start}-${r.end}`;
}

/** A short text for followers: 周一至周五 09:00-18:00；周六 10:00-14:00. Closed days are left out. */
export function formatSchedule(weekly: Record<Weekday, TimeRange[]>, locale: 'zh' | 'en'): string {
  const words = WORDS[locale];
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = weekly[day].map((r) => formatRange(r, locale)).join(words.rangeJoin);
    const last = groups.at(-1);
    if (last && last.text === text) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  const open = groups.filter((g) => g.text !== '');
  if (open.length === 0) return words.none;
  if (groups.length === 1) return `${words.everyDay} ${open[0]!.text}`;
  const label = (g: (typeof groups)[number]) =>
    g.from === g.to ? words.days[g.from] : `${words.days[g.from]}${words.through}${words.days[g.to]}`;
  return open.map((g) => `${label(g)} ${g.text}`).join(words.groupJoin);
}

/** When service resumes, for {resume}: 12月1日（周二）09:00 or Tue Dec 1, 09:00, in the zone's time. */
export function formatOpening(at: Date, timezone: string, locale: 'zh' | 'en'): string {
  const wall = new Date(wallClock(at.getTime(), timezone));
  const day = WORDS[locale].days[weekdayOf(dateOfWall(wall.getTime()))];
  const time = wall.toISOString().slice(11, 16);
  if (locale === 'zh') return `${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日（${day}）${time}`;
  const month = wall.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${day} ${month} ${wall.getUTCDate()}, ${time}`;
}

// ---------------------------------------------------------------- stored form

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const wall = wallOfDate(text);
  // Date.parse rolls 2026-02-30 over to March (or gives NaN); a real date reads back unchanged.
  return Number.isFinite(wall) && dateOfWall(wall) === text;
}

const timeRangeSchema = z
  .object({
    start: z.string().regex(TIME, 'not a time (HH:MM)'),
    end: z.string().regex(TIME, 'not a time (HH:MM, or 24:00)'),
  })
  .refine((r) => r.start !== '24:00', { message: 'a range cannot start at 24:00', path: ['start'] })
  .refine((r) => r.start !== r.end, { message: 'a range cannot start and end at the same time', path: ['end'] });
const rangesSchema = z.array(timeRangeSchema).max(MAX_RANGES_PER_DAY);
const localDateSchema = z.string().refine(isCalendarDate, 'not a date (YYYY-MM-DD)');
// A few years of holidays is plenty; the bound keeps one settings row small.
const MAX_DATES = 400;

/** ServiceHours as stored in settings and edited on the settings page. */
export const serviceHoursSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, 'not an IANA time zone such as Asia/Shanghai'),
    weekly: z.object({
      mon: rangesSchema,
      tue: rangesSchema,
      wed: rangesSchema,
      thu: rangesSchema,
      fri: rangesSchema,
      sat: rangesSchema,
      sun: rangesSchema,
    }),
    holidays: z.array(localDateSchema).max(MAX_DATES),
    extraWorkdays: z.array(z.object({ date: localDateSchema, ranges: rangesSchema.min(1) })).max(MAX_DATES),
  })
  .superRefine((hours, ctx) => {
    const seen = new Set<string>();
    hours.extraWorkdays.forEach(({ date }, i) => {
      const path = ['extraWorkdays', i, 'date'];
      if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice` });
      if (hours.holidays.includes(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is also a holiday` });
      seen.add(date);
    });
  });
