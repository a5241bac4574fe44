// The texts wekf says, rendered from the settings' templates with the variables every text shares.
import { formatOpening, formatSchedule, isHolidayAt, nextClosing, nextOpening } from '@/lib/service-hours';
import type { KfSettings } from './settings';
import { renderTemplate, type TemplateName } from './templates';

// Settings objects are replaced, never changed, so their derived texts can be cached per object.
const baseVarsCache = new WeakMap<KfSettings, Record<string, string>>();

/** The variables every text shares ({keyword}, {hours}). */
export function baseVars(settings: KfSettings): Record<string, string> {
  let vars = baseVarsCache.get(settings);
  if (!vars) {
    vars = { keyword: settings.keywords[0] ?? '', hours: formatSchedule(settings.hours.weekly, 'zh') };
    baseVarsCache.set(settings, vars);
  }
  return vars;
}

export function renderText(settings: KfSettings, name: TemplateName, vars: Record<string, string | number> = {}): string {
  return renderTemplate(settings.templates[name], { ...baseVars(settings), ...vars });
}

// When no opening is found within the look-ahead (closed for weeks), the text still reads whole.
const RESUME_UNKNOWN = '近期';

// On a holiday the weekly hours name today as open: said, so the text does not contradict itself.
const HOLIDAY_TODAY = '（今天是节假日，休息）';

/** The off-hours text also says when service resumes: 「明天 09:00」, or a date further off. */
export function offHoursText(settings: KfSettings, now: Date): string {
  return renderText(settings, 'offHours', {
    ...(isHolidayAt(settings.hours, now) ? { hours: `${baseVars(settings).hours}${HOLIDAY_TODAY}` } : {}),
    resume: resumeAfter(settings, now),
  });
}

/** {resume} at `now`: when service next opens, as followers read it. */
function resumeAfter(settings: KfSettings, now: Date): string {
  const opening = nextOpening(settings.hours, now);
  return opening ? formatOpening(opening, settings.hours.timezone, 'zh', now) : RESUME_UNKNOWN;
}

/**
 * {resume} for the settings page's preview: what the off-hours text will say the next time service
 * closes after `now` (or now, when closed). Open all fortnight: what it would say, 「近期」.
 */
export function sampleResume(settings: KfSettings, now: Date): string {
  const closing = nextClosing(settings.hours, now);
  return closing ? resumeAfter(settings, closing) : RESUME_UNKNOWN;
}
