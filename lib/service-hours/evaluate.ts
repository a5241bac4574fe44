// Open or closed at an instant, and when service next opens.
import { addDays, DAY, dateOfWall, instantsAtWall, MINUTE, offsetChanges, wallClock, wallOfDate, weekdayOf } from './clock';
import { isOvernight, LOOKAHEAD_DAYS, minuteOf, type ServiceHours, type TimeRange } from './model';

function rangesOn(hours: ServiceHours, date: string): TimeRange[] {
  if (hours.holidays.includes(date)) return [];
  return hours.extraWorkdays.find((e) => e.date === date)?.ranges ?? hours.weekly[weekdayOf(date)];
}

/** Whether r, started on this date, covers this minute of the same date. */
function coversSameDay(r: TimeRange, minute: number): boolean {
  return minute >= minuteOf(r.start) && (isOvernight(r) || minute < minuteOf(r.end));
}

/** Whether `at` falls on one of the holidays, in the service's time zone. */
export function isHolidayAt(hours: ServiceHours, at: Date): boolean {
  return hours.holidays.includes(dateOfWall(wallClock(at.getTime(), hours.timezone)));
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
 * jumps (daylight saving).
 */
export function nextOpening(hours: ServiceHours, at: Date): Date | null {
  return nextTimeOpenIs(true, hours, at, (date) => rangesOn(hours, date).map((r) => wallOfDate(date) + minuteOf(r.start) * MINUTE));
}

/**
 * The first instant at or after `at` when service is closed (`at` itself when closed now), or null
 * when it stays open for LOOKAHEAD_DAYS (open all week with no holiday ahead). Service can only close
 * where a range ends, where a date begins (a holiday) or where the clock jumps.
 */
export function nextClosing(hours: ServiceHours, at: Date): Date | null {
  return nextTimeOpenIs(false, hours, at, (date) => [
    wallOfDate(date),
    ...rangesOn(hours, date).map((r) => wallOfDate(date) + minuteOf(r.end) * MINUTE + (isOvernight(r) ? DAY : 0)),
  ]);
}

/**
 * The first instant at or after `at` when isOpen is `open`: `at` itself, or the first of the
 * candidates (wall-clock times each date gives, and the clock's jumps) within LOOKAHEAD_DAYS where it
 * is, checked with isOpen. Dates from the day before `at`: a range running overnight from it ends
 * on `at`'s date.
 */
function nextTimeOpenIs(open: boolean, hours: ServiceHours, at: Date, wallTimesOn: (date: string) => number[]): Date | null {
  if (isOpen(hours, at) === open) return new Date(at.getTime());
  const from = at.getTime();
  const until = from + LOOKAHEAD_DAYS * DAY;
  const firstDate = dateOfWall(wallClock(from, hours.timezone));
  const candidates = offsetChanges(from, until, hours.timezone);
  for (let i = -1; i <= LOOKAHEAD_DAYS + 1; i++) {
    for (const wall of wallTimesOn(addDays(firstDate, i))) candidates.push(...instantsAtWall(wall, hours.timezone));
  }
  const found = candidates
    .filter((t) => t > from && t <= until)
    .sort((a, b) => a - b)
    .find((t) => isOpen(hours, new Date(t)) === open);
  return found === undefined ? null : new Date(found);
}
