// The tag dates and numbers are written with in each language: 2026年12月7日 or 7 Dec 2026, 24-hour
// either way. Apart from the catalogs (format.ts), so a client component can use it without them.
import type { Locale } from './format';

export function intlLocale(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en-GB';
}
