// The metrics page's range and service-level target as they live in the URL. Out-of-range or
// malformed values fall back to the defaults and are named on the page.
import { z } from 'zod';
import { todayIn } from '@/lib/kf/metrics-view';
import { addDays, isCalendarDate } from '@/lib/service-hours/clock';

export const DEFAULT_TARGET_SECONDS = 60;
const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;

// A real day: 2026-02-30 has the shape, and Date.parse would roll it over to March.
const date = z.string().refine(isCalendarDate);
const target = z.coerce.number().int().min(1).max(3600);

export interface MetricsQuery {
  from: string;
  to: string;
  targetSeconds: number;
  invalid: ('from' | 'to' | 'target')[];
  /** A range given but refused as a whole (its dates each fine): the page says why, and shows the default. */
  rangeRefused?: 'backwards' | 'tooLong';
}

export function parseMetricsQuery(params: Record<string, string | string[] | undefined>, timezone: string, now: Date): MetricsQuery {
  const one = (k: string) => {
    const v = params[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s && s.trim() !== '' ? s.trim() : undefined;
  };
  const invalid: MetricsQuery['invalid'] = [];
  const pick = <T,>(name: 'from' | 'to' | 'target', schema: z.ZodType<T>): T | undefined => {
    const raw = one(name);
    if (raw === undefined) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) invalid.push(name);
    return parsed.success ? parsed.data : undefined;
  };
  const today = todayIn(timezone, now);
  let to = pick('to', date) ?? today;
  let from = pick('from', date) ?? addDays(to, -(DEFAULT_DAYS - 1));
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  let rangeRefused: MetricsQuery['rangeRefused'];
  if (days < 1 || days > MAX_DAYS) {
    rangeRefused = days < 1 ? 'backwards' : 'tooLong';
    to = today;
    from = addDays(today, -(DEFAULT_DAYS - 1));
  }
  return { from, to, targetSeconds: pick('target', target) ?? DEFAULT_TARGET_SECONDS, invalid, rangeRefused };
}
