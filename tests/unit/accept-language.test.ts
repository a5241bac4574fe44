import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from '@/lib/i18n/server';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['zh-TW', 'zh'],
    ['fr-FR,fr;q=0.9,en;q=0.5,zh;q=0.4', 'en'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['de, en;q=0', undefined],
    ['*', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
