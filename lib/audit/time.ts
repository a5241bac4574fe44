// Audit times are shown and filtered in the service's time zone, the one staff plan their day in.
import { intlLocale } from '@/lib/i18n/intl';
import { instantsAtWall } from '@/lib/service-hours/clock';

const DAY_MS = 86_400_000;

/** The first instant of a local date (YYYY-MM-DD) in the zone; midnight skipped by DST → the next hour. */
export function startOfLocalDate(date: string, timezone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const t = instantsAtWall(wall, timezone)[0] ?? instantsAtWall(wall + 3_600_000, timezone)[0] ?? wall;
  return new Date(t);
}

/** The first instant after the local date: the exclusive end of a "to" filter. */
export function endOfLocalDate(date: string, timezone: string): Date {
  return startOfLocalDate(new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), timezone);
}

export function formatAuditTime(at: Date, timezone: string, locale: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: timezone, dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}
