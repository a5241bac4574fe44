// Reading a schedule as a person types it (SERVICE_HOURS, a text box): "09:00-18:00" or
// "周一至周五 09:00-12:00,13:30-18:00；周六 10:00-14:00". Refusals are ServiceHoursError codes.
import { isTimeZone } from './clock';
import { ServiceHoursError } from './errors';
import { closedWeek, MAX_RANGES_PER_DAY, TIME, WEEKDAYS, type ServiceHours, type TimeRange, type Weekday } from './model';

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
  if (!TIME.test(time)) throw new ServiceHoursError('error.hours.notATime', { text });
  return time;
}

function parseRange(text: string): TimeRange {
  const parts = text.split(TIME_SEPARATOR);
  if (parts.length !== 2 || parts.includes('')) throw new ServiceHoursError('error.hours.notARange', { text });
  const start = parseTime(parts[0]!);
  const end = parseTime(parts[1]!);
  if (start === '24:00') throw new ServiceHoursError('error.hours.startsAt24', { text });
  if (start === end) throw new ServiceHoursError('error.hours.emptyRange', { text, time: start });
  return { start, end };
}

function parseDayRange(text: string): Weekday[] {
  const ends = text.split(DAY_SEPARATOR);
  const first = DAY_NAMES.get(ends[0] ?? '');
  const last = DAY_NAMES.get(ends.at(-1) ?? '');
  if (ends.length > 2 || !first || !last) throw new ServiceHoursError('error.hours.notADay', { text });
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
  if (!match) throw new ServiceHoursError('error.hours.notASegment', { text: segment });
  const days = match[1] ? parseDays(match[1]) : WEEKDAYS;
  const ranges = match[2]!.trim().split(LIST_SEPARATOR).map(parseRange);
  if (ranges.length > MAX_RANGES_PER_DAY) {
    throw new ServiceHoursError('error.hours.tooManyRanges', { text: segment, max: MAX_RANGES_PER_DAY });
  }
  return { days, ranges };
}

/**
 * "09:00-18:00" (every day) or "mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00". A day named in a
 * later segment takes that segment's ranges, so "daily 09:00-18:00; sun 10:00-16:00" reads naturally.
 */
export function parseSchedule(text: string): Record<Weekday, TimeRange[]> {
  const segments = text.normalize('NFKC').split(SEGMENT_SEPARATOR).map((s) => s.trim()).filter(Boolean);
  if (segments.length === 0) throw new ServiceHoursError('error.hours.emptySchedule');
  const weekly = closedWeek();
  for (const segment of segments) {
    const { days, ranges } = parseSegment(segment);
    for (const day of days) weekly[day] = ranges.map((r) => ({ ...r }));
  }
  return weekly;
}

export function defaultServiceHours(scheduleText: string, timezone: string): ServiceHours {
  if (!isTimeZone(timezone)) throw new ServiceHoursError('error.hours.notATimeZone', { timezone });
  return { timezone, weekly: parseSchedule(scheduleText), holidays: [], extraWorkdays: [] };
}
