import { describe, expect, it } from 'vitest';
import { KeywordListError, matchesKeyword, normalizeKeyword, parseKeywordList } from './keywords';

describe('normalizeKeyword', () => {
  it('trims, folds full-width forms and lower-cases Latin letters', () => {
    expect(normalizeKeyword(' ＫＦ ')).toBe('kf');
    expect(normalizeKeyword('\u3000Help Desk\n')).toBe('help desk');
    expect(normalizeKeyword('人工１号')).toBe('人工1号');
  });
});

describe('matchesKeyword', () => {
  const keywords = ['客服', 'Help', '人工', 'talk to agent'];

  it('matches a message that is exactly a keyword', () => {
    expect(matchesKeyword('客服', keywords)).toBe('客服');
  });

  it('ignores surrounding space and trailing punctuation', () => {
    expect(matchesKeyword('  客服！ ', keywords)).toBe('客服');
    expect(matchesKeyword('人工。', keywords)).toBe('人工');
    expect(matchesKeyword('客服？？', keywords)).toBe('客服');
    expect(matchesKeyword('help?!.', keywords)).toBe('Help');
    expect(matchesKeyword('客服～', keywords)).toBe('客服');
  });

  it('is case-insensitive for Latin letters and folds full-width forms, returning the keyword as configured', () => {
    expect(matchesKeyword('HELP', keywords)).toBe('Help');
    expect(matchesKeyword('ｈｅｌｐ!', keywords)).toBe('Help');
  });

  it('treats a run of spaces inside a message as one', () => {
    expect(matchesKeyword('Talk   to agent', keywords)).toBe('talk to agent');
  });

  it('matches a keyword configured with trailing punctuation', () => {
    expect(matchesKeyword('客服', ['客服！'])).toBe('客服！');
  });

  it('does not match a keyword inside a longer message', () => {
    expect(matchesKeyword('我不要客服', keywords)).toBeUndefined();
    expect(matchesKeyword('客服在吗', keywords)).toBeUndefined();
    expect(matchesKeyword('helpme', keywords)).toBeUndefined();
    expect(matchesKeyword('！客服', keywords)).toBeUndefined();
  });

  it('matches nothing for an empty or punctuation-only message, or an empty list', () => {
    expect(matchesKeyword('', keywords)).toBeUndefined();
    expect(matchesKeyword('  ', keywords)).toBeUndefined();
    expect(matchesKeyword('！', [...keywords, '!'])).toBeUndefined();
    expect(matchesKeyword('客服', [])).toBeUndefined();
  });
});

describe('parseKeywordList', () => {
  it('splits on both commas, 、 and new lines, dropping blanks', () => {
    expect(parseKeywordList('客服, 人工，help、转人工\r\n\n 帮助 ,')).toEqual(['客服', '人工', 'help', '转人工', '帮助']);
  });

  it('drops repeats by normalized form, keeping the first spelling', () => {
    expect(parseKeywordList('Help, HELP, ｈｅｌｐ, help！, 客服, 客服')).toEqual(['Help', '客服']);
  });

  it('accepts 20 characters, counting an emoji as one', () => {
    expect(parseKeywordList('x'.repeat(20))).toEqual(['x'.repeat(20)]);
    expect(parseKeywordList('🙋'.repeat(20))).toEqual(['🙋'.repeat(20)]);
  });

  it('refuses a keyword longer than 20 characters, naming it', () => {
    expect(() => parseKeywordList(`客服,${'x'.repeat(21)}`)).toThrow(KeywordListError);
    expect(() => parseKeywordList(`客服,${'x'.repeat(21)}`)).toThrow(
      expect.objectContaining({ code: 'error.keywords.tooLong', params: { keyword: `${'x'.repeat(20)}…`, max: 20 } }),
    );
  });

  it('accepts 20 keywords and refuses 21, not counting repeats', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
    expect(parseKeywordList([...list(20), 'K0'].join(','))).toHaveLength(20);
    expect(() => parseKeywordList(list(21).join(','))).toThrow(
      expect.objectContaining({ code: 'error.keywords.tooMany', params: { max: 20, count: 21 } }),
    );
  });

  it('refuses an empty list, since no follower could then reach an agent', () => {
    expect(() => parseKeywordList(' , \n、')).toThrow(KeywordListError);
    expect(() => parseKeywordList('')).toThrow(expect.objectContaining({ code: 'error.keywords.empty', params: {} }));
  });

  it('refuses a keyword that is only punctuation, which no message could match', () => {
    expect(() => parseKeywordList('客服, ！？')).toThrow(
      expect.objectContaining({ code: 'error.keywords.onlyPunctuation', params: { keyword: '！？' } }),
    );
  });

  it('throws errors named KeywordListError', () => {
    expect(() => parseKeywordList('')).toThrow(expect.objectContaining({ name: 'KeywordListError' }));
  });
});
