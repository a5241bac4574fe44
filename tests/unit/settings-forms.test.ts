// The settings forms as the server reads them: FormData → object → schema, each problem at the
// exact field name the page renders.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { hoursFormSchema, keywordsFormSchema, templatesFormSchema } from '@/app/(console)/settings/schemas';
import { formDataToObject } from '@/lib/forms/form-data';
import { invalidFormState } from '@/lib/forms/form-state';
import { translator } from '@/lib/i18n/format';
import { isOpen } from '@/lib/service-hours';

const t = translator('en');

function parse<S extends z.ZodType>(schema: S, fields: Record<string, string>): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(formDataToObject(Object.entries(fields)));
}

function fieldErrors(schema: typeof hoursFormSchema | typeof keywordsFormSchema | typeof templatesFormSchema, fields: Record<string, string>) {
  const result = parse(schema, fields);
  if (result.success) throw new Error('expected the form to be refused');
  return invalidFormState(result.error.issues, t).fieldErrors;
}

const weekdays = { version: '3', timezone: 'Asia/Shanghai', 'weekly.mon.0.start': '09:00', 'weekly.mon.0.end': '18:00' };

describe('the service hours form', () => {
  it('keeps the extra working dates in date order, whatever order they were added in', () => {
    const result = parse(hoursFormSchema, {
      ...weekdays,
      'extraWorkdays.0.date': '2027-02-20',
      'extraWorkdays.0.ranges.0.start': '09:00',
      'extraWorkdays.0.ranges.0.end': '18:00',
      'extraWorkdays.1.date': '2026-10-11',
      'extraWorkdays.1.ranges.0.start': '10:00',
      'extraWorkdays.1.ranges.0.end': '16:00',
    });
    expect(result.success && result.data.hours.extraWorkdays).toEqual([
      { date: '2026-10-11', ranges: [{ start: '10:00', end: '16:00' }] },
      { date: '2027-02-20', ranges: [{ start: '09:00', end: '18:00' }] },
    ]);
  });

  it('reads a week with several ranges, an overnight one, 24:00, holidays as ranges and a 调休 Sunday', () => {
    const result = parse(hoursFormSchema, {
      ...weekdays,
      'weekly.fri.0.start': '09:00',
      'weekly.fri.0.end': '12:00',
      'weekly.fri.1.start': '22:00',
      'weekly.fri.1.end': '02:00',
      'weekly.sat.0.start': '10:00',
      'weekly.sat.0.end': '24:00',
      'holidays.0.from': '2026-10-01',
      'holidays.0.to': '2026-10-03',
      'extraWorkdays.0.date': '2026-10-11',
      'extraWorkdays.0.ranges.0.start': '09:00',
      'extraWorkdays.0.ranges.0.end': '18:00',
    });
    expect(result.success).toBe(true);
    const { version, hours } = result.data!;
    expect(version).toBe(3);
    expect(hours.weekly.tue).toEqual([]);
    expect(hours.weekly.fri).toEqual([{ start: '09:00', end: '12:00' }, { start: '22:00', end: '02:00' }]);
    expect(hours.holidays).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
    // What the webhook decides with it: Sunday 2026-10-11 10:00 Beijing is open (调休), Thursday
    // 2026-10-01 (a holiday on a weekday) is closed, Saturday 01:00 after Friday night is open.
    expect(isOpen(hours, new Date('2026-10-11T02:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-10-01T02:00:00Z'))).toBe(false);
    expect(isOpen(hours, new Date('2026-10-09T17:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-10-10T15:30:00Z'))).toBe(true); // Saturday 23:30, open to 24:00
  });

  it('puts each problem beside its field: overlap, start = end, a time that is not one, bad dates', () => {
    const errors = fieldErrors(hoursFormSchema, {
      ...weekdays,
      'weekly.mon.1.start': '17:00',
      'weekly.mon.1.end': '19:00',
      'weekly.tue.0.start': '10:00',
      'weekly.tue.0.end': '10:00',
      'weekly.wed.0.start': '25:00',
      'weekly.wed.0.end': '18:00',
      'holidays.0.from': '2026-02-30',
      'extraWorkdays.0.date': 'soon',
      'extraWorkdays.0.ranges.0.start': '09:00',
      'extraWorkdays.0.ranges.0.end': '18:00',
    });
    expect(errors).toMatchObject({
      'weekly.tue.0.end': 'A range cannot start and end at the same time.',
      'weekly.wed.0.start': 'Enter a time like 09:00 (00:00 to 24:00).',
      'holidays.0.from': 'Enter a date like 2026-10-01.',
      'extraWorkdays.0.date': 'Enter a date like 2026-10-01.',
    });
  });

  it('reports overlapping ranges once the rest is valid, at the later range', () => {
    expect(fieldErrors(hoursFormSchema, { ...weekdays, 'weekly.mon.1.start': '17:00', 'weekly.mon.1.end': '19:00' })).toEqual({
      'weekly.mon.1.start': 'Overlaps 09:00-18:00.',
    });
  });

  it('refuses a holiday range that ends before it starts, and an unknown time zone', () => {
    expect(fieldErrors(hoursFormSchema, { ...weekdays, 'holidays.0.from': '2026-10-07', 'holidays.0.to': '2026-10-01' })).toEqual({
      'holidays.0.to': 'The last day is before the first.',
    });
    expect(fieldErrors(hoursFormSchema, { ...weekdays, timezone: 'Mars/Olympus' })).toEqual({
      timezone: '"Mars/Olympus" is not an IANA time zone such as Asia/Shanghai.',
    });
  });

  it('refuses a date that is both a holiday and an extra working date', () => {
    expect(
      fieldErrors(hoursFormSchema, {
        ...weekdays,
        'holidays.0.from': '2026-10-01',
        'extraWorkdays.0.date': '2026-10-01',
        'extraWorkdays.0.ranges.0.start': '09:00',
        'extraWorkdays.0.ranges.0.end': '12:00',
      }),
    ).toEqual({ 'extraWorkdays.0.date': '2026-10-01 is also a holiday.' });
  });

  it('follows daylight saving time in Europe/Berlin: 09:00 local is 07:00 UTC in summer, 08:00 in winter', () => {
    const result = parse(hoursFormSchema, { ...weekdays, timezone: 'Europe/Berlin' });
    const { hours } = result.data!;
    expect(isOpen(hours, new Date('2026-07-06T07:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-01-05T07:30:00Z'))).toBe(false);
    expect(isOpen(hours, new Date('2026-01-05T08:00:00Z'))).toBe(true);
  });
});

describe('the keywords form', () => {
  it('trims keywords and drops empty fields', () => {
    const result = parse(keywordsFormSchema, { version: '0', 'keywords.0': ' 客服 ', 'keywords.1': '', 'keywords.2': 'Help', waitMinutes: '45' });
    expect(result.data).toEqual({ version: 0, keywords: ['客服', 'Help'], waitMinutes: 45, repeatPosition: false });
    expect(parse(keywordsFormSchema, { version: '0', 'keywords.0': '客服', waitMinutes: '30', repeatPosition: 'on' }).data?.repeatPosition).toBe(true);
  });

  it('refuses a duplicate the way the flow matches (case, width, trailing punctuation), at its field', () => {
    expect(fieldErrors(keywordsFormSchema, { version: '0', 'keywords.0': 'help', 'keywords.1': 'ＨＥＬＰ！', waitMinutes: '30' })).toEqual({
      'keywords.1': 'Same as help.',
    });
  });

  it('refuses no keyword at all, punctuation alone, a comma list and a wait out of range', () => {
    expect(fieldErrors(keywordsFormSchema, { version: '0', 'keywords.0': '  ', waitMinutes: '30' })).toEqual({ 'keywords.0': 'At least one keyword is needed.' });
    // Both problems at once, not the second after the first is fixed.
    expect(fieldErrors(keywordsFormSchema, { version: '0', 'keywords.0': '', waitMinutes: '0' })).toEqual({
      'keywords.0': 'At least one keyword is needed.',
      waitMinutes: 'A whole number of minutes from 1 to 1440.',
    });
    expect(fieldErrors(keywordsFormSchema, { version: '0', 'keywords.0': '客服', 'keywords.1': '！！', 'keywords.2': 'a,b', waitMinutes: '0' })).toEqual({
      'keywords.1': '"！！" is only punctuation, so no message could match it.',
      'keywords.2': 'One keyword per field (no commas).',
      waitMinutes: 'A whole number of minutes from 1 to 1440.',
    });
  });
});

describe('the reply texts form', () => {
  const all = (overrides: Record<string, string>) => ({
    version: '1',
    'templates.hint': '回复「{keyword}」',
    'templates.offHours': '{hours} {resume}',
    'templates.queue': '第 {position} 位',
    'templates.queueNoneOnline': '无人在线，第 {position} 位',
    'templates.waitExpired': '请再回复「{keyword}」',
    'templates.agentAlert': '{count} 人',
    'templates.greeting': '{agent}',
    'templates.switched': '{agent}',
    'templates.closing': '再见',
    'templates.welcome': '欢迎',
    'templates.noAgents': '稍后再试',
    'templates.bindOk': '已绑定 {agent}（{kfAccount}）',
    'templates.bindInvalid': '无效',
    'templates.bindLocked': '{minutes} 分钟后再试',
    ...overrides,
  });

  it('accepts each text with its own variables, and turns Windows line ends into \\n', () => {
    const result = parse(templatesFormSchema, all({ 'templates.closing': '再见\r\n{keyword}' }));
    expect(result.data?.templates.closing).toBe('再见\n{keyword}');
  });

  it('refuses an unknown variable, and a variable this text does not have, beside the text', () => {
    expect(fieldErrors(templatesFormSchema, all({ 'templates.hint': '{foo} 回复「{keyword}」', 'templates.agentAlert': '{keyword}' }))).toEqual({
      'templates.hint': '{foo} cannot be used in this text.',
      'templates.agentAlert': '{keyword} cannot be used in this text.',
    });
  });

  it('leaves out a text the form did not send (a page older than the text), and still refuses one sent empty', () => {
    const { 'templates.queueNoneOnline': _left, ...older } = all({});
    const result = parse(templatesFormSchema, older);
    expect(result.success).toBe(true);
    expect(result.data?.templates).not.toHaveProperty('queueNoneOnline');
    expect(result.data?.templates.queue).toBe('第 {position} 位');
    expect(fieldErrors(templatesFormSchema, all({ 'templates.queueNoneOnline': '' }))).toEqual({ 'templates.queueNoneOnline': 'Write some text.' });
  });

  it('refuses an empty text and one over the length limit', () => {
    const errors = fieldErrors(templatesFormSchema, all({ 'templates.welcome': ' ', 'templates.noAgents': '客'.repeat(601) }));
    expect(errors).toEqual({ 'templates.welcome': 'Write some text.', 'templates.noAgents': 'Too long: at most 600 characters (emoji count for more).' });
  });
});
