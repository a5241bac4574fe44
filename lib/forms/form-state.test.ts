import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, PublicActionError } from '@/lib/errors';
import { translator } from '@/lib/i18n/format';
import { parseKeywordList } from '@/lib/kf/keywords';
import { defaultServiceHours, parseSchedule, serviceHoursSchema } from '@/lib/service-hours';
import { domainErrorState, invalidFormState } from './form-state';

const zh = translator('zh');
const en = translator('en');

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('invalidFormState', () => {
  const hours = defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai');

  it('keys each field error by its full path, translated', () => {
    const weekly = { ...hours.weekly, mon: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '25:00' }] };
    const result = z.object({ hours: serviceHoursSchema }).safeParse({ hours: { ...hours, weekly } });
    expect(invalidFormState(result.error!.issues, zh)).toEqual({
      status: 'error',
      message: '输入有误，请检查。',
      fieldErrors: { 'hours.weekly.mon.1.end': '请输入 09:00 这样的时间（00:00 至 24:00）。' },
    });
  });

  it('fills a code’s params, from the issue or from its bound', () => {
    const twice = { ...hours, extraWorkdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '10:00' }] }] };
    twice.extraWorkdays.push(twice.extraWorkdays[0]!);
    const result = serviceHoursSchema.safeParse(twice);
    expect(invalidFormState(result.error!.issues, en).fieldErrors).toEqual({ 'extraWorkdays.1.date': '2026-10-10 is listed twice.' });

    const crowded = { ...hours, weekly: { ...hours.weekly, tue: Array(7).fill({ start: '09:00', end: '10:00' }) } };
    const tooMany = serviceHoursSchema.safeParse(crowded);
    expect(invalidFormState(tooMany.error!.issues, zh).fieldErrors).toEqual({ 'weekly.tue': '一天最多 6 个时间段。' });
  });

  it('keeps the first problem of a field', () => {
    const schema = z.object({ name: z.string().min(1, { error: 'form.required' }).max(0, { error: 'form.tooLong' }) });
    expect(invalidFormState(schema.safeParse({ name: '' }).error!.issues, en).fieldErrors).toEqual({ name: 'Required.' });
  });

  it('never shows zod’s own English: an issue without a code reads as a generic one', () => {
    const result = z.object({ count: z.number() }).safeParse({ count: 'x' });
    expect(invalidFormState(result.error!.issues, zh).fieldErrors).toEqual({ count: '输入有误，请检查。' });
  });

  it('puts a problem with the whole form on top, not beside a field', () => {
    const schema = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a !== v.b, { error: 'error.keywords.empty' });
    expect(invalidFormState(schema.safeParse({ a: 'x', b: 'x' }).error!.issues, zh)).toEqual({
      status: 'error',
      message: '至少需要一个关键词。',
    });
  });
});

describe('domainErrorState', () => {
  it('translates a parse error’s code and params for a Chinese reader', () => {
    const error = thrown(() => parseSchedule('周一 09:00-25:00'));
    expect(error.message).toBe('"25:00" is not a time; times should look like 09:00 (00:00 to 24:00).');
    expect(domainErrorState(error, zh)).toEqual({
      status: 'error',
      message: '「25:00」不是时间，时间应写成 09:00 这样（00:00 至 24:00）。',
    });
  });

  it('shows an error that names a field beside it', () => {
    const error = thrown(() => parseKeywordList('客服, ！？')).at('keywords');
    expect(domainErrorState(error, en)).toEqual({
      status: 'error',
      message: 'Please check the marked fields.',
      fieldErrors: { keywords: '"！？" is only punctuation, so no message could match it.' },
    });
    expect(domainErrorState(new DomainError('error.duplicateEmail', {}, { field: 'email' }), zh).fieldErrors).toEqual({
      email: '该邮箱已被使用。',
    });
  });

  it('treats the older PublicActionError as the same shape', () => {
    const error = new PublicActionError('error.lastAdmin');
    expect(error).toBeInstanceOf(DomainError);
    expect(domainErrorState(error, zh)).toEqual({ status: 'error', message: '至少需要保留一名可用的管理员。' });
  });
});
