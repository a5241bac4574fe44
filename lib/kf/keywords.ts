// Keywords that ask for a human agent. A message matches only when, as a whole, it is a keyword:
// 「我不要客服」 must not open a session.
import { DomainError, type ErrorParams } from '@/lib/errors';
import type { MessageKey } from '@/lib/i18n/format';

export const MAX_KEYWORD_LENGTH = 20;
export const MAX_KEYWORDS = 20;

// Applied after NFKC, which has already turned ！？～，… into ! ? ~ , ...
const TRAILING_PUNCTUATION = /[\s!.。?~,、]+$/u;

export type KeywordListCode = Extract<MessageKey, `error.keywords.${string}`>;

/** A keyword list that cannot be used; `.message` is English, the code is for the console. */
export class KeywordListError extends DomainError {
  declare readonly code: KeywordListCode;

  constructor(code: KeywordListCode, params: ErrorParams = {}) {
    super(code, params);
    this.name = 'KeywordListError';
  }
}

/** Trimmed, NFKC (full-width letters and digits become half-width) and lower-cased. */
export function normalizeKeyword(keyword: string): string {
  return keyword.normalize('NFKC').trim().toLowerCase();
}

// Followers type 「客服！」 or "help ?"; neither the punctuation nor a doubled space changes what they ask.
function matchKey(text: string): string {
  return normalizeKeyword(text).replace(TRAILING_PUNCTUATION, '').replace(/\s+/g, ' ');
}

/** The matched keyword as configured, when the whole message is one; otherwise undefined. */
export function matchesKeyword(content: string, keywords: string[]): string | undefined {
  const said = matchKey(content);
  if (said === '') return undefined;
  return keywords.find((k) => matchKey(k) === said);
}

function checkKeyword(keyword: string): void {
  const chars = [...keyword];
  if (chars.length > MAX_KEYWORD_LENGTH) {
    // Named by its start: the whole of a pasted paragraph would fill the form with red.
    throw new KeywordListError('error.keywords.tooLong', { keyword: `${chars.slice(0, MAX_KEYWORD_LENGTH).join('')}…`, max: MAX_KEYWORD_LENGTH });
  }
  if (matchKey(keyword) === '') throw new KeywordListError('error.keywords.onlyPunctuation', { keyword });
}

/**
 * A keyword list as a person types it: split on commas (both widths), 、 and new lines; blanks and
 * repeats (by normalized form, first spelling kept) dropped. An empty list is refused: without a
 * keyword no follower could reach an agent.
 */
export function parseKeywordList(text: string): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const keyword of text.split(/[,，、\n]/).map((k) => k.trim())) {
    if (keyword === '') continue;
    checkKeyword(keyword);
    const key = matchKey(keyword);
    if (seen.has(key)) continue;
    seen.add(key);
    keywords.push(keyword);
  }
  if (keywords.length === 0) throw new KeywordListError('error.keywords.empty');
  if (keywords.length > MAX_KEYWORDS) {
    throw new KeywordListError('error.keywords.tooMany', { max: MAX_KEYWORDS, count: keywords.length });
  }
  return keywords;
}
