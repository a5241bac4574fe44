// Wall-clock time in an IANA zone with Intl alone (no date library), so any zone works, daylight
// saving time included. Local dates are YYYY-MM-DD; a "wall" is a local time as milliseconds on a
// UTC axis, so Date.UTC arithmetic works on it.
import { WEEKDAYS, type Weekday } from './model';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

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

/** The local wall-clock time at instant t. */
export function wallClock(t: number, timezone: string): number {
  const part = Object.fromEntries(formatterFor(timezone).formatToParts(t).map((p) => [p.type, Number(p.value)]));
  const millis = ((t % 1000) + 1000) % 1000;
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) + millis;
}

const offsetAt = (t: number, timezone: string) => wallClock(t, timezone) - t;
export const dateOfWall = (wall: number) => new Date(wall).toISOString().slice(0, 10);
export const wallOfDate = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const addDays = (date: string, days: number) => dateOfWall(wallOfDate(date) + days * DAY);
export const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(wallOfDate(date)).getUTCDay() + 6) % 7]!;

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const wall = wallOfDate(text);
  // Date.parse rolls 2026-02-30 over to March (or gives NaN); a real date reads back unchanged.
  return Number.isFinite(wall) && dateOfWall(wall) === text;
}

/**
 * Every instant whose wall clock reads `wall`: none in a spring-forward gap, two in a fall-back
 * hour. Assumes at most one offset change within a day and a half, which holds for every real zone.
 */
export function instantsAtWall(wall: number, timezone: string): number[] {
  const offsets = new Set([offsetAt(wall - DAY, timezone), offsetAt(wall + DAY, timezone)]);
  return [...offsets].map((offset) => wall - offset).filter((t) => wallClock(t, timezone) === wall);
}

/** Instants in (from, until] where the zone's offset changes; the clock jumps there, so opening can too. */
export function offsetChanges(from: number, until: number, timezone: string): number[] {
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
