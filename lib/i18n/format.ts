import { en } from './en';
import { zh, type MessageKey } from './zh';

export type Locale = 'zh' | 'en';
export type { MessageKey };
export const locales: Locale[] = ['zh', 'en'];
export const defaultLocale: Locale = 'zh';
export const LOCALE_COOKIE = 'wekf_locale';

const catalogs: Record<Locale, Record<MessageKey, string>> = { zh, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Whether a string (a zod issue's message, say) is a catalog key rather than prose. */
export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(zh, value);
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh' || value === 'en';
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, vars) => {
    const text = catalog[key] ?? zh[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
  };
}
