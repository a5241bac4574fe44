import { describe, expect, it } from 'vitest';
import { inviteSchema, openidSchema } from '@/app/(console)/agents/schemas';

const good = { prefix: 'amy_1', accountWx: 'brand_oa', nickname: '小艾', inviteWx: 'amy_worker' };
const errorsOf = (input: Record<string, string>) => {
  const parsed = inviteSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('the invite form', () => {
  it('takes WeChat\'s shapes, trimmed', () => {
    expect(inviteSchema.parse({ ...good, prefix: ' amy_1 ', inviteWx: ' amy_worker ' })).toEqual(good);
  });
  it('refuses each field at the field, with its own message', () => {
    expect(errorsOf({ ...good, prefix: 'way_too_long_1' })).toEqual({ prefix: 'agents.prefixInvalid' });
    expect(errorsOf({ ...good, prefix: 'amy-1' })).toEqual({ prefix: 'agents.prefixInvalid' });
    expect(errorsOf({ ...good, accountWx: '1brand' })).toEqual({ accountWx: 'agents.accountWxInvalid' });
    // The original ID has a WeChat ID's shape, yet WeChat refuses it after @.
    expect(errorsOf({ ...good, accountWx: 'gh_97417a04a28d' })).toEqual({ accountWx: 'agents.accountWxOriginalId' });
    expect(inviteSchema.parse({ ...good, accountWx: 'gh_brand_oa' }).accountWx).toBe('gh_brand_oa');
    expect(errorsOf({ ...good, inviteWx: 'amy' })).toEqual({ inviteWx: 'agents.inviteWxInvalid' });
    expect(errorsOf({ ...good, inviteWx: 'amy worker' })).toEqual({ inviteWx: 'agents.inviteWxInvalid' });
    expect(Object.keys(errorsOf({ ...good, nickname: '一二三四五六七八九十一二三四五六七' }))).toEqual(['nickname']);
    expect(Object.keys(errorsOf({ ...good, nickname: 'evil\u202Eman' }))).toEqual(['nickname']);
  });
  it('says an empty field is required, not that it is malformed', () => {
    // The form shows each field's first problem (lib/forms/form-state.ts).
    const parsed = inviteSchema.safeParse({ prefix: ' ', accountWx: '', nickname: '', inviteWx: '' });
    const first: Record<string, string> = {};
    for (const issue of parsed.error!.issues) first[issue.path.join('.')] ??= issue.message;
    expect(first).toEqual({ prefix: 'form.required', accountWx: 'form.required', nickname: 'form.required', inviteWx: 'form.required' });
  });
});

describe('the typed openid', () => {
  it('is refused before any lookup when longer than an openid can be', () => {
    const parsed = openidSchema.safeParse({ agentId: '1', openid: 'o'.repeat(65) });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['openid', 'agents.openidShape']);
  });
});
