// Service hours: a weekly schedule in an IANA time zone, with holidays and extra working dates (调休).
// model: the shape and shared rules; parse: schedule text (env, a text box); validate: the stored
// form (zod); evaluate: open now, next opening and closing; format: texts for followers; clock: time in a zone.
export { LOOKAHEAD_DAYS, MAX_RANGES_PER_DAY, WEEKDAYS, type ServiceHours, type TimeRange, type Weekday } from './model';
export { ServiceHoursError, type ServiceHoursCode } from './errors';
export { defaultServiceHours, parseSchedule } from './parse';
export { serviceHoursSchema } from './validate';
export { isHolidayAt, isOpen, nextClosing, nextOpening } from './evaluate';
export { formatOpening, formatSchedule } from './format';
