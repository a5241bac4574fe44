import type { Locale, Translate } from '@/lib/i18n/format';

/** What every part of the live page needs to render text and ticking times. */
export interface LiveView {
  t: Translate;
  locale: Locale;
  /** The render's clock, so the server's text and the browser's first tick agree. */
  serverNow: number;
}

export function timeOfDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { timeStyle: 'short' }).format(date);
}
