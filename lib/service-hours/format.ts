// Service hours as text for followers, in Chinese or English.
import { dateOfWall, wallClock, weekdayOf } from './clock';
import { isOvernight, WEEKDAYS, type TimeRange, type Weekday } from './model';

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

/** A day's ranges with those that meet (09:00-18:00 and 18:00-20:00) said as one: 09:00-20:00. */
function mergeTouching(ranges: readonly TimeRange[]): TimeRange[] {
  const merged: TimeRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.start.localeCompare(b.start))) {
    const last = merged.at(-1);
    if (last && !isOvernight(last) && last.end === r.start) merged[merged.length - 1] = { start: last.start, end: r.end };
    else merged.push(r);
  }
  return merged;
}

/** A short text for followers: 周一至周五 09:00-18:00；周六 10:00-14:00. Closed days are left out. */
export function formatSchedule(weekly: Record<Weekday, TimeRange[]>, locale: 'zh' | 'en'): string {
  const words = WORDS[locale];
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = mergeTouching(weekly[day]).map((r) => formatRange(r, locale)).join(words.rangeJoin);
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
export function formatOpening(at: Date, timezone: string, locale: 'zh' | 'en', now?: Date): string {
  const wall = new Date(wallClock(at.getTime(), timezone));
  const day = WORDS[locale].days[weekdayOf(dateOfWall(wall.getTime()))];
  const time = wall.toISOString().slice(11, 16);
  // Today, tomorrow and the day after read better by name than by date ("明天 09:00").
  if (now) {
    const ahead = Math.round((startOfWallDay(wall.getTime()) - startOfWallDay(wallClock(now.getTime(), timezone))) / DAY_MS);
    const named = RELATIVE_DAYS[locale][ahead];
    if (named) return `${named} ${time}`;
  }
  if (locale === 'zh') return `${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日（${day}）${time}`;
  const month = wall.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${day} ${month} ${wall.getUTCDate()}, ${time}`;
}

const DAY_MS = 86_400_000;
const RELATIVE_DAYS: Record<'zh' | 'en', Record<number, string>> = {
  zh: { 0: '今天', 1: '明天', 2: '后天' },
  en: { 0: 'today', 1: 'tomorrow' },
};

/** Midnight of a wall-clock instant's day (wall clocks are kept as UTC-shaped milliseconds). */
function startOfWallDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}
