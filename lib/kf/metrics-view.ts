// The metrics page's arithmetic on the grouped numbers SQL returns (db/queries/metrics.ts): every
// day of the range shown (days without sessions as zeros), and the service level as a share.
// Pure, so the page and tests share it.
import { dateOfWall, wallClock } from '@/lib/service-hours/clock';

export interface ServiceLevelCounts {
  withinTarget: number;
  leftQueue: number;
}

/** Accepted within the target, among sessions that left the queue; null when none did. */
export function serviceLevel(group: ServiceLevelCounts): number | null {
  return group.leftQueue === 0 ? null : group.withinTarget / group.leftQueue;
}

/** Today's date in the time zone, as YYYY-MM-DD. */
export function todayIn(timezone: string, now: Date): string {
  return dateOfWall(wallClock(now.getTime(), timezone));
}

/** Each date from `from` to `to` (YYYY-MM-DD, both included). */
export function daysBetween(from: string, to: string, maxDays = 366): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < maxDays; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** byDay with a row for every day of the range, `empty` where no session was queued. */
export function fillDays<T extends { day: string }>(rows: T[], from: string, to: string, empty: Omit<T, 'day'>): T[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(from, to).map((day) => byDay.get(day) ?? ({ ...empty, day } as T));
}

/** 75 → "1 min 15 s"; a compact duration for tables. */
export function formatSeconds(seconds: number | null, units: { h: string; min: string; s: string } = { h: 'h', min: 'min', s: 's' }): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  // Chinese writes 2分59秒, as the Live page's clocks do; English 2 min 59 s.
  const spaced = !/\p{Script=Han}/u.test(units.s);
  const parts = (pairs: [number, string][]) => pairs.map(([n, unit]) => (spaced ? `${n} ${unit}` : `${n}${unit}`)).join(spaced ? ' ' : '');
  if (h > 0) return parts([[h, units.h], [m, units.min]]);
  if (m > 0) return s > 0 ? parts([[m, units.min], [s, units.s]]) : parts([[m, units.min]]);
  return parts([[s, units.s]]);
}
