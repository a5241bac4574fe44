import { describe, expect, it } from 'vitest';
import { parseSessionFilters, remarkSchema } from '@/app/(console)/sessions/schemas';
import { invalidFormState } from '@/lib/forms/form-state';
import { translator } from '@/lib/i18n/format';

const errorsOf = (input: Record<string, string>) => {
  const parsed = remarkSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('the remark form', () => {
  it('takes a remark under 30 bytes, trimmed, and an empty one (which clears it)', () => {
    expect(remarkSchema.parse({ sessionId: '7', remark: '  王女士 VIP ' })).toEqual({ sessionId: 7, remark: '王女士 VIP' });
    expect(remarkSchema.parse({ sessionId: '7', remark: '王'.repeat(9) }).remark).toBe('王'.repeat(9));
    expect(remarkSchema.parse({ sessionId: '7', remark: 'a'.repeat(29) }).remark).toBe('a'.repeat(29));
    expect(remarkSchema.parse({ sessionId: '7', remark: '   ' }).remark).toBe('');
  });

  it('refuses 30 bytes or more, and control or text-direction characters, beside the field', () => {
    expect(errorsOf({ sessionId: '7', remark: '王'.repeat(10) })).toEqual({ remark: 'session.remarkTooLong' });
    expect(errorsOf({ sessionId: '7', remark: 'a'.repeat(30) })).toEqual({ remark: 'session.remarkTooLong' });
    expect(errorsOf({ sessionId: '7', remark: 'evil\u202Eman' })).toEqual({ remark: 'form.unsafeCharacters' });
    expect(errorsOf({ sessionId: 'x', remark: 'ok' })).toEqual({ sessionId: 'form.invalid' });
  });

  it('words the refusal in the reader’s language', () => {
    const issues = remarkSchema.safeParse({ sessionId: '7', remark: '王'.repeat(10) }).error!.issues;
    expect(invalidFormState(issues, translator('zh')).fieldErrors).toEqual({ remark: '备注名须少于 30 字节（约 9 个汉字或 29 个字母）。' });
    expect(invalidFormState(issues, translator('en')).fieldErrors).toEqual({ remark: 'A remark must be under 30 bytes (about 9 Chinese characters or 29 letters).' });
    const unsafe = remarkSchema.safeParse({ sessionId: '7', remark: 'a\u0007b' }).error!.issues;
    expect(invalidFormState(unsafe, translator('en')).fieldErrors?.remark).toContain('U+0007');
  });
});

describe('the sessions follower filter', () => {
  it('keeps any visible text (an openid or the start of a remark) and drops control characters', () => {
    expect(parseSessionFilters({ follower: ' 王女士 ' })).toMatchObject({ filter: { follower: '王女士' }, query: { follower: '王女士' }, invalid: [] });
    expect(parseSessionFilters({ follower: 'x\u202Ey' })).toMatchObject({ filter: { follower: undefined }, invalid: ['follower'] });
    expect(parseSessionFilters({ openid: 'o_exact', follower: 'Ali' }).filter).toMatchObject({ openid: 'o_exact', follower: 'Ali' });
  });
});
