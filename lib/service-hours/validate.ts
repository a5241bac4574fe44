// ServiceHours as stored in settings and edited on the settings page. Messages are catalog codes
// (error.hours.*) with params, which the console translates beside the field the path names.
import { z } from 'zod';
import { isCalendarDate, isTimeZone } from './clock';
import { MAX_RANGES_PER_DAY, TIME } from './model';

const timeRangeSchema = z
  .object({
    start: z.string().regex(TIME, { error: 'error.hours.timeFormat' }),
    end: z.string().regex(TIME, { error: 'error.hours.timeFormat' }),
  })
  .refine((r) => r.start !== '24:00', { error: 'error.hours.startAt24', path: ['start'] })
  .refine((r) => r.start !== r.end, { error: 'error.hours.sameStartEnd', path: ['end'] });
const rangesSchema = z.array(timeRangeSchema).max(MAX_RANGES_PER_DAY, { error: 'error.hours.tooManyRangesInDay' });
const localDateSchema = z.string().refine(isCalendarDate, { error: 'error.hours.dateFormat' });
// A few years of holidays is plenty; the bound keeps one settings row small.
const MAX_DATES = 400;

const timezoneSchema = z.string().superRefine((timezone, ctx) => {
  if (!isTimeZone(timezone)) ctx.addIssue({ code: 'custom', message: 'error.hours.notATimeZone', params: { timezone } });
});

export const serviceHoursSchema = z
  .object({
    timezone: timezoneSchema,
    weekly: z.object({
      mon: rangesSchema,
      tue: rangesSchema,
      wed: rangesSchema,
      thu: rangesSchema,
      fri: rangesSchema,
      sat: rangesSchema,
      sun: rangesSchema,
    }),
    holidays: z.array(localDateSchema).max(MAX_DATES, { error: 'error.hours.tooManyDates' }),
    extraWorkdays: z
      .array(z.object({ date: localDateSchema, ranges: rangesSchema.min(1, { error: 'error.hours.noRanges' }) }))
      .max(MAX_DATES, { error: 'error.hours.tooManyDates' }),
  })
  .superRefine((hours, ctx) => {
    const seen = new Set<string>();
    hours.extraWorkdays.forEach(({ date }, i) => {
      const path = ['extraWorkdays', i, 'date'];
      if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: 'error.hours.dateListedTwice', params: { date } });
      if (hours.holidays.includes(date)) ctx.addIssue({ code: 'custom', path, message: 'error.hours.dateIsHoliday', params: { date } });
      seen.add(date);
    });
  });
