// Keywords that ask for a human agent. A message matches when, as a whole, it is a keyword:
// 「我不要客服」 must not open a session.

const TRAILING_PUNCTUATION = /[\s!！.。?？~～,，、]+$/u;

export function normalizeKeyword(keyword: string): string {
  return keyword.normalize('NFKC').trim().toLowerCase();
}

/** The matched keyword (as configured) when the whole message is one; case-insensitive for Latin letters. */
export function matchesKeyword(content: string, keywords: string[]): string | undefined {
  const said = normalizeKeyword(content).replace(TRAILING_PUNCTUATION, '');
  if (said === '') return undefined;
  return keywords.find((k) => normalizeKeyword(k) === said);
}

export class KeywordListError extends Error {}

/** A keyword list typed by a person: split on commas (both widths), 、 and new lines. */
export function parseKeywordList(text: string): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const raw of text.split(/[,，、\n]/)) {
    const keyword = raw.trim();
    if (!keyword) continue;
    if (keyword.length > 20) throw new KeywordListError(`"${keyword.slice(0, 20)}…" is longer than 20 characters`);
    const key = normalizeKeyword(keyword);
    if (seen.has(key)) continue;
    seen.add(key);
    keywords.push(keyword);
  }
  if (keywords.length === 0) throw new KeywordListError('at least one keyword is needed');
  if (keywords.length > 20) throw new KeywordListError('at most 20 keywords');
  return keywords;
}
