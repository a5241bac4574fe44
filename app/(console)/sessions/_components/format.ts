// How the session pages write times and durations: in the service time zone, in the reader's language.
import type { Locale, Translate } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';
import { formatSeconds } from '@/lib/kf/metrics-view';

export function dateTimeFormat(locale: Locale, timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'medium', timeZone: timezone });
}

export function durationText(t: Translate, from: Date | null, to: Date | null): string {
  if (!from || !to) return '—';
  return formatSeconds((to.getTime() - from.getTime()) / 1000, { h: t('duration.h'), min: t('duration.min'), s: t('duration.s') });
}

export const linkButtonClass =
  'inline-flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700';
