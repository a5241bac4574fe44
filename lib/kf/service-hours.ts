// Service hours: a weekly schedule in a time zone, with holidays and extra working dates (调休).
// Only Intl is used, so any IANA zone works, DST included.
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** start and end as HH:MM; end may be 24:00; an end at or before the start runs past midnight. */
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

const DAY_NAMES: Record<string, Weekday> = {};
const aliases: [Weekday, string[]][] = [
  ['mon', ['mon', 'monday', '周一', '星期一']],
  ['tue', ['tue', 'tues', 'tuesday', '周二', '星期二']],
  ['wed', ['wed', 'wednesday', '周三', '星期三']],
  ['thu', ['thu', 'thur', 'thurs', 'thursday', '周四', '星期四']],
  ['fri', ['fri', 'friday', '周五', '星期五']],
  ['sat', ['sat', 'saturday', '周六', '星期六']],
  ['sun', ['sun', 'sunday', '周日', '周天', '星期日', '星期天']],
];
for (const [day, names] of aliases) for (const name of names) DAY_NAMES[name] = day;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

function parseRange(text: string): TimeRange {
  const parts = text.split(/\s*[-–~～至]\s*/);
  const [start, end] = parts;
  if (parts.length !== 2 || !start || !end) throw new ServiceHoursError(`"${text}" is not a range like 09:00-18:00`);
  const pad = (t: string) => (/^\d:\d\d$/.test(t) ? `0${t}` : t);
  for (const t of [pad(start), pad(end)]) {
    if (!TIME.test(t)) throw new ServiceHoursError(`"${t}" is not a time (HH:MM, 00:00 to 24:00)`);
  }
  if (pad(start) === '24:00') throw new ServiceHoursError(`a range cannot start at 24:00`);
  if (pad(start) === pad(end)) throw new ServiceHoursError(`"${text}" is empty: start and end are the same`);
  return { start: pad(start), end: pad(end) };
}

function parseDays(text: string): Weekday[] {
  const days = new Set<Weekday>();
  for (const part of text.split(/[,，、]/).map((p) => p.trim().toLowerCase()).filter(Boolean)) {
    if (part === 'daily' || part === 'everyday' || part === '每天') return [...WEEKDAYS];
    const [from, to, extra] = part.split(/\s*(?:-|–|至|到)\s*/);
    const first = from ? DAY_NAMES[from] : undefined;
    const last = to === undefined ? first : DAY_NAMES[to];
    if (!first || !last || extra !== undefined) throw new ServiceHoursError(`"${part}" is not a day or a range of days like mon-fri`);
    // sat-mon wraps over the end of the week.
    for (let i = WEEKDAYS.indexOf(first); ; i = (i + 1) % 7) {
      days.add(WEEKDAYS[i]!);
      if (WEEKDAYS[i] === last) break;
    }
  }
  return [...days];
}

/** "09:00-18:00" (every day) or "mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00". */
export function parseSchedule(text: string): Record<Weekday, TimeRange[]> {
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as TimeRange[]])) as Record<Weekday, TimeRange[]>;
  const segments = text.split(/[;；\n]/).map((s) => s.trim()).filter(Boolean);
  if (segments.length === 0) throw new ServiceHoursError('the schedule is empty');
  for (const segment of segments) {
    const match = /^(?:(.*?)\s+)?(\d{1,2}:\d{2}\s*[-–~～至]\s*\d{1,2}:\d{2}(?:\s*[,，、]\s*\d{1,2}:\d{2}\s*[-–~～至]\s*\d{1,2}:\d{2})*)$/.exec(segment);
    if (!match) throw new ServiceHoursError(`"${segment}" should look like "mon-fri 09:00-18:00"`);
    const days = match[1] ? parseDays(match[1]) : [...WEEKDAYS];
    const ranges = match[2]!.split(/\s*[,，、]\s*/).map(parseRange);
    for (const day of days) weekly[day] = ranges;
  }
  return weekly;
}

export function defaultServiceHours(scheduleText: string, timezone: string): ServiceHours {
  return { timezone, weekly: parseSchedule(scheduleText), holidays: [], extraWorkdays: [] };
}

interface LocalTime {
  date: string;
  weekday: Weekday;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: p.weekday!.toLowerCase().slice(0, 3) as Weekday,
    minuteOfDay: Number(p.hour) * 60 + Number(p.minute),
  };
}

function previousDate(date: string): { date: string; weekday: Weekday } {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return { date: d.toISOString().slice(0, 10), weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7]! };
}

function rangesOn(hours: ServiceHours, date: string, weekday: Weekday): TimeRange[] {
  if (hours.holidays.includes(date)) return [];
  return hours.extraWorkdays.find((e) => e.date === date)?.ranges ?? hours.weekly[weekday];
}

const endMinute = (r: TimeRange) => (r.end === '24:00' ? 1440 : minutes(r.end));
const overnight = (r: TimeRange) => endMinute(r) <= minutes(r.start);

export function isOpen(hours: ServiceHours, at: Date): boolean {
  const now = localTime(at, hours.timezone);
  if (hours.holidays.includes(now.date)) return false;
  const today = rangesOn(hours, now.date, now.weekday).some((r) =>
    overnight(r) ? now.minuteOfDay >= minutes(r.start) : now.minuteOfDay >= minutes(r.start) && now.minuteOfDay < endMinute(r),
  );
  if (today) return true;
  const yesterday = previousDate(now.date);
  return rangesOn(hours, yesterday.date, yesterday.weekday).some((r) => overnight(r) && now.minuteOfDay < endMinute(r));
}

const DAY_LABELS = {
  zh: { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' },
  en: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
} as const;

/** A short text for followers: 周一至周五 09:00-18:00；周六 10:00-14:00. */
export function formatSchedule(weekly: Record<Weekday, TimeRange[]>, locale: 'zh' | 'en'): string {
  const rangesText = (day: Weekday) => weekly[day].map((r) => `${r.start}-${r.end}`).join(locale === 'zh' ? '、' : ', ');
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = rangesText(day);
    const last = groups.at(-1);
    if (last && last.text === text && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  const open = groups.filter((g) => g.text !== '');
  if (open.length === 0) return locale === 'zh' ? '暂无' : 'none';
  if (open.length === 1 && open[0]!.from === 'mon' && open[0]!.to === 'sun') {
    return `${locale === 'zh' ? '每天' : 'Every day'} ${open[0]!.text}`;
  }
  const labels = DAY_LABELS[locale];
  const joinDays = locale === 'zh' ? '至' : '–';
  return open
    .map((g) => `${g.from === g.to ? labels[g.from] : `${labels[g.from]}${joinDays}${labels[g.to]}`} ${g.text}`)
    .join(locale === 'zh' ? '；' : '; ');
}

const timeRangeSchema = z
  .object({ start: z.string().regex(TIME), end: z.string().regex(TIME) })
  .refine((r) => r.start !== '24:00' && r.start !== r.end, { message: 'a range must not be empty' });

export const serviceHoursSchema = z.object({
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not an IANA time zone'),
  weekly: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRangeSchema).max(6)])) as Record<Weekday, z.ZodArray<typeof timeRangeSchema>>),
  holidays: z.array(z.string().regex(DATE)),
  extraWorkdays: z.array(z.object({ date: z.string().regex(DATE), ranges: z.array(timeRangeSchema).max(6) })),
});
