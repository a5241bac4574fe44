// Names people type for other people to read (staff, agents): one line of visible text. Control
// characters and bidirectional overrides are refused, because a name is shown in tables, the audit
// log and WeChat alerts, where U+202E RIGHT-TO-LEFT OVERRIDE turns "evil\u202Etxt.exe" into what
// reads as "evilexe.txt", and a control character can break a line or a CSV cell.
import { z } from 'zod';

// Cc: U+0000–U+001F and U+007F–U+009F. Bidi_Control: U+061C, U+200E–U+200F, U+202A–U+202E,
// U+2066–U+2069. U+2028/U+2029 break lines. Joiners (U+200C/U+200D) stay: emoji and scripts need them.
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;

/** The first control or bidirectional character in text, as `U+202E`; undefined when there is none. */
export function unsafeCharacter(text: string): string | undefined {
  const found = UNSAFE.exec(text)?.[0];
  return found === undefined ? undefined : `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A required, trimmed name of at most `max` characters with no control or bidirectional characters;
 * its errors are catalog codes (`form.required`, `form.tooLong`, `form.unsafeCharacters` with
 * `{codepoint}`), shown beside the field.
 */
export function plainName({ max }: { max: number }) {
  return z
    .string({ error: 'form.required' })
    .trim()
    .min(1, { error: 'form.required' })
    .max(max, { error: 'form.tooLong' })
    .superRefine((value, ctx) => {
      const codepoint = unsafeCharacter(value);
      if (codepoint) ctx.addIssue({ code: 'custom', message: 'form.unsafeCharacters', params: { codepoint } });
    });
}
