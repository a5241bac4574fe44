import { describe, expect, it } from 'vitest';
import { KeywordListError, matchesKeyword, normalizeKeyword, parseKeywordList } from './keywords';

describe('matchesKeyword', () => {
  const keywords = ['客服', 'Help', '人工'];

  it('matches the whole message, ignoring surrounding space and trailing punctuation', () => {
    expect(matchesKeyword('客服', keywords)).toBe('客服');
    expect(matchesKeyword('  客服！ ', keywords)).toBe('客服');
    expect(matchesKeyword('人工。', keywords)).toBe('人工');
  });

  it('is case-insensitive for Latin letters and folds full-width forms', () => {
    expect(matchesKeyword('HELP', keywords)).toBe('Help');
    expect(matchesKeyword('ｈｅｌｐ!', keywords)).toBe('Help');
  });

  it('does not match a keyword inside a longer message', () => {
    expect(matchesKeyword('我不要客服', keywords)).toBeUndefined();
    expect(matchesKeyword('客服在吗', keywords)).toBeUndefined();
    expect(matchesKeyword('', keywords)).toBeUndefined();
    expect(matchesKeyword('！', keywords)).toBeUndefined();
  });
});

describe('parseKeywordList', () => {
  it('splits on both commas, 、 and new lines, dropping blanks and duplicates', () => {
    expect(parseKeywordList('客服, 人工，help、HELP\n\n 客服 ')).toEqual(['客服', '人工', 'help']);
  });

  it('refuses an empty list, an overlong keyword and too many keywords', () => {
    expect(() => parseKeywordList(' , ')).toThrow(KeywordListError);
    expect(() => parseKeywordList('x'.repeat(21))).toThrow(/longer than 20/);
    expect(() => parseKeywordList(Array.from({ length: 21 }, (_, i) => `k${i}`).join(','))).toThrow(/at most 20/);
  });

  it('normalizes for comparison only', () => {
    expect(normalizeKeyword(' ＫＦ ')).toBe('kf');
  });
});
