import type { Locale, Translate } from '@/lib/i18n/format';

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
  return new Intl.DateTimeFormat(view.locale === 'zh' ? 'zh-CN' : 'en-GB', { timeStyle: 'short', timeZone: view.timezone }).format(date);
}
