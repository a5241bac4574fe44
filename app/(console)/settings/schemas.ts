// What each settings form sends, checked field by field: the same rules as the stored settings
// (lib/service-hours' serviceHoursSchema, lib/kf/templates' validateTemplate, lib/kf/keywords), with
// each problem at the exact field name the form renders (weekly.mon.1.end, templates.offHours…).
import { z } from 'zod';
import { checkbox, listOf } from '@/lib/forms/fields';
import { expandDateSpans, findOverlaps } from '@/lib/kf/hours-form';
import { KeywordListError, matchesKeyword, parseKeywordList } from '@/lib/kf/keywords';
import { DEFAULT_TEMPLATES, templateProblem, validateTemplate, type TemplateName } from '@/lib/kf/templates';
import { serviceHoursSchema, WEEKDAYS, type ServiceHours } from '@/lib/service-hours';
import { isCalendarDate } from '@/lib/service-hours/clock';

const version = z.coerce.number().int().min(0);
const text = z.string().default('');
const range = z.object({ start: text, end: text });
const dayRanges = listOf(range);

export const hoursFormSchema = z
  .object({
    version,
    timezone: z.string().trim(),
    weekly: z.object({ mon: dayRanges, tue: dayRanges, wed: dayRanges, thu: dayRanges, fri: dayRanges, sat: dayRanges, sun: dayRanges }).partial().default({}),
    holidays: listOf(z.object({ from: z.string().trim(), to: z.string().trim().default('') })),
    extraWorkdays: listOf(z.object({ date: z.string().trim(), ranges: listOf(range) })),
  })
  .transform((form, ctx) => {
    const holidayDates = form.holidays.map((h, i) => ({ ...h, i }));
    // Date format first, so a range is only expanded from real dates.
    const spans = holidayDates.filter(({ from, to, i }) => {
      const bad = [['from', from] as const, ['to', to] as const].find(([, d]) => d !== '' && !isCalendarDate(d));
      if (from === '' || bad) ctx.addIssue({ code: 'custom', path: ['holidays', i, bad?.[0] ?? 'from'], message: 'error.hours.dateFormat' });
      return from !== '' && !bad;
    });
    const expanded = expandDateSpans(spans.map(({ from, to }) => ({ from, to })));
    for (const issue of expanded.issues) {
      const original = spans[issue.path[1] as number]!.i;
      ctx.addIssue({ code: 'custom', path: ['holidays', original, 'to'], message: issue.code, params: issue.params });
    }
    const hours = {
      timezone: form.timezone,
      weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, form.weekly[day] ?? []])),
      holidays: expanded.dates,
      extraWorkdays: form.extraWorkdays,
    };
    const parsed = serviceHoursSchema.safeParse(hours);
    if (!parsed.success) {
      // Holiday dates were expanded from rows, so a problem with one is shown on its row.
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path[0] === 'holidays' ? ['holidays', 0, 'from'] : issue.path } as never);
      return z.NEVER;
    }
    for (const issue of findOverlaps(parsed.data)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.code, params: issue.params });
    if (ctx.issues.length > 0) return z.NEVER;
    // Stored in date order, however the rows were added (problems above name the rows as sent).
    const extraWorkdays = [...parsed.data.extraWorkdays].sort((a, b) => a.date.localeCompare(b.date));
    return { version: form.version, hours: { ...parsed.data, extraWorkdays } as ServiceHours };
  });

export const keywordsFormSchema = z
  .object({
    version,
    keywords: listOf(z.string().default('')),
    // Checked in the transform, so a bad wait and a bad keyword are both reported at once.
    waitMinutes: z.string().trim().default(''),
    repeatPosition: checkbox(),
  })
  .transform((form, ctx) => {
    const waitMinutes = /^\d{1,4}$/.test(form.waitMinutes) ? Number(form.waitMinutes) : NaN;
    if (!(waitMinutes >= 1 && waitMinutes <= 24 * 60)) ctx.addIssue({ code: 'custom', path: ['waitMinutes'], message: 'settings.keywords.waitMinutesRange' });
    const keywords: string[] = [];
    let refused = false;
    form.keywords.forEach((raw, i) => {
      const keyword = raw.trim();
      if (keyword === '') return;
      const path = ['keywords', i];
      try {
        // One keyword per field: a comma would split it into two (parseKeywordList reads lists).
        if (parseKeywordList(keyword).length !== 1) throw new KeywordListError('error.keywords.tooMany', { max: 1, count: 2 });
      } catch (error) {
        if (!(error instanceof KeywordListError)) throw error;
        const code = error.code === 'error.keywords.tooMany' ? 'settings.keywords.oneEach' : error.code;
        refused = true;
        return ctx.addIssue({ code: 'custom', path, message: code, params: error.params });
      }
      // The flow matches case-insensitively and ignores trailing punctuation: 「Help!」 is 「help」.
      const same = matchesKeyword(keyword, keywords);
      if (same !== undefined) {
        refused = true;
        return ctx.addIssue({ code: 'custom', path, message: 'settings.keywords.duplicate', params: { other: same } });
      }
      keywords.push(keyword);
    });
    // Every problem at once (a bad wait too); only a keyword refused above makes "none" moot.
    if (keywords.length === 0 && !refused) ctx.addIssue({ code: 'custom', path: ['keywords', 0], message: 'error.keywords.empty' });
    if (keywords.length > 20) ctx.addIssue({ code: 'custom', path: ['keywords', 20], message: 'error.keywords.tooMany', params: { max: 20, count: keywords.length } });
    if (ctx.issues.length > 0) return z.NEVER;
    return { version: form.version, keywords, waitMinutes, repeatPosition: form.repeatPosition };
  });

export const TEMPLATE_NAMES = Object.keys(DEFAULT_TEMPLATES) as TemplateName[];

export const templatesFormSchema = z
  .object({ version, templates: z.record(z.string(), z.string()).default({}) })
  .transform((form, ctx) => {
    const templates: Partial<Record<TemplateName, string>> = {};
    for (const name of TEMPLATE_NAMES) {
      // Not sent at all (a page loaded before this text was added, by an upgrade): kept as it is in
      // force (the action fills it in). Sent empty: refused below.
      if (form.templates[name] === undefined) continue;
      // Line endings from a textarea are \r\n; followers' phones want \n.
      const value = form.templates[name].replace(/\r\n?/g, '\n');
      const check = validateTemplate(name, value);
      if (!check.ok) {
        const problem = templateProblem(check);
        ctx.addIssue({ code: 'custom', path: ['templates', name], message: problem.code, params: problem.params });
      }
      templates[name] = value;
    }
    if (ctx.issues.length > 0) return z.NEVER;
    return { version: form.version, templates };
  });
