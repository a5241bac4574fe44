import type { Locale, Translate } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';

/** What every part of the live page needs to render text and ticking times. */
export interface LiveView {
  t: Translate;
  locale: Locale;
  /** The render's clock, so the server's text and the browser's first tick agree. */
  serverNow: number;
  /** The service's time zone (the settings' hours): times read as on every other page, whatever the server's zone. */
  timezone: string;
}

export function timeOfDay(date: Date, view: Pick<LiveView, 'locale' | 'timezone'>): string {
  return new Intl.DateTimeFormat(intlLocale(view.locale), { timeStyle: 'short', timeZone: view.timezone }).format(date);
}
