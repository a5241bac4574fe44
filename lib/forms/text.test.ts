import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '@/lib/i18n/format';
import { invalidFormState } from './form-state';
import { plainName, unsafeCharacter } from './text';

const schema = z.object({ name: plainName({ max: 20 }) });
const fieldError = (name: unknown, locale: 'zh' | 'en' = 'en') => {
  const result = schema.safeParse({ name });
  return result.success ? undefined : invalidFormState(result.error.issues, translator(locale)).fieldErrors?.name;
};

describe('plainName', () => {
  it.each([
    ['U+202E RIGHT-TO-LEFT OVERRIDE', 'evil\u202Etxt.exe', 'U+202E'],
    ['U+202A LEFT-TO-RIGHT EMBEDDING', 'a\u202Ab', 'U+202A'],
    ['U+2066 LEFT-TO-RIGHT ISOLATE', 'a\u2066b', 'U+2066'],
    ['U+2069 POP DIRECTIONAL ISOLATE', 'a\u2069b', 'U+2069'],
    ['U+200E LEFT-TO-RIGHT MARK', 'a\u200Eb', 'U+200E'],
    ['U+200F RIGHT-TO-LEFT MARK', 'a\u200Fb', 'U+200F'],
    ['U+061C ARABIC LETTER MARK', 'a\u061Cb', 'U+061C'],
    ['U+0000 NUL', 'a\u0000b', 'U+0000'],
    ['U+0007 BEL', 'a\u0007b', 'U+0007'],
    ['a line feed inside', 'a\nb', 'U+000A'],
    ['U+001F', 'a\u001Fb', 'U+001F'],
    ['U+007F DELETE', 'a\u007Fb', 'U+007F'],
    ['U+0085 NEXT LINE', 'a\u0085b', 'U+0085'],
    ['U+009F', 'a\u009Fb', 'U+009F'],
    ['U+2028 LINE SEPARATOR', 'a\u2028b', 'U+2028'],
  ])('refuses %s with a field error naming it', (_, name, codepoint) => {
    expect(unsafeCharacter(name)).toBe(codepoint);
    expect(fieldError(name)).toBe(`Remove control or text-direction characters (found ${codepoint}).`);
  });

  it('says so in Chinese too', () => {
    expect(fieldError('evil\u202Etxt.exe', 'zh')).toBe('不能包含控制字符或改变文字方向的字符（发现 U+202E）。');
  });

  it.each([
    ['Chinese', '小王'],
    ['accents and apostrophes', "Zoë O'Brien"],
    ['Arabic, right-to-left by itself', 'مريم'],
    ['an emoji sequence with a zero-width joiner', '👩‍💻 Ann'],
    ['a Persian name with a zero-width non-joiner', 'می‌خواهم'],
  ])('accepts %s', (_, name) => {
    expect(schema.parse({ name })).toEqual({ name });
  });

  it('trims the ends first, so a pasted trailing newline is not an error', () => {
    expect(schema.parse({ name: '  Ann\n' })).toEqual({ name: 'Ann' });
  });

  it('keeps its other messages: required and too long', () => {
    expect(fieldError('   ')).toBe('Required.');
    expect(fieldError(undefined)).toBe('Required.');
    expect(fieldError('x'.repeat(21))).toBe('Too long: at most 20 characters.');
  });
});
