// The session list's filters as they live in the URL (/sessions?status=closed&agent=…): parsed
// here for the page and the export alike, so both show exactly the same sessions. A bad value is
// dropped and named, never guessed at. Below them, the session page's remark form.
import { z } from 'zod';
import { isCalendarDate } from '@/lib/service-hours/clock';
import { unsafeCharacter } from '@/lib/forms/text';
import { remarkFits } from '@/lib/wechat/user-info';
import { decodeCursor, HISTORY_STATUSES, type SessionCursor, type SessionFilter } from '@/db/queries/session-history';

// A real day: 2026-02-30 has the shape, and Date.parse would roll it over to March.
const date = z.string().refine(isCalendarDate);
const fields = {
  from: date,
  to: date,
  agent: z.string().min(1).max(128),
  status: z.enum(HISTORY_STATUSES),
  openid: z.string().min(1).max(128).regex(/^[\w-]+$/),
  // An openid or the start of a remark (remarks WeChat's admin takes run to 30 characters).
  follower: z.string().min(1).max(128).refine((v) => unsafeCharacter(v) === undefined),
  waited: z.coerce.number().int().min(0).max(7 * 24 * 60),
};
export type FilterField = keyof typeof fields;

export type SearchParams = Record<string, string | string[] | undefined>;

export interface ParsedFilters {
  filter: SessionFilter;
  after?: SessionCursor;
  before?: SessionCursor;
  /** Filters given but not understood (shown on the page, then ignored). */
  invalid: FilterField[];
  /** The end date was before the start date: it is among `invalid`, and the page says why. */
  rangeBackwards: boolean;
  /** The filters as URL values, to rebuild links (pages, export) with the same list. */
  query: Partial<Record<FilterField, string>>;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function parseSessionFilters(params: SearchParams): ParsedFilters {
  const invalid: FilterField[] = [];
  const query: ParsedFilters['query'] = {};
  const values: Partial<{ [K in FilterField]: z.infer<(typeof fields)[K]> }> = {};
  for (const name of Object.keys(fields) as FilterField[]) {
    const raw = first(params[name]);
    if (raw === undefined) continue;
    const parsed = fields[name].safeParse(raw);
    if (!parsed.success) {
      invalid.push(name);
      continue;
    }
    (values as Record<string, unknown>)[name] = parsed.data;
    query[name] = raw;
  }
  const rangeBackwards = Boolean(values.from && values.to && values.from > values.to);
  if (rangeBackwards) {
    invalid.push('to');
    delete values.to;
    delete query.to;
  }
  const filter: SessionFilter = {
    from: values.from,
    to: values.to,
    agent: values.agent,
    status: values.status,
    openid: values.openid,
    follower: values.follower,
    waitedOverMinutes: values.waited,
  };
  return { filter, after: decodeCursor(first(params.after)), before: decodeCursor(first(params.before)), invalid, rangeBackwards, query };
}

/** `/sessions?…` for these filters and an optional page cursor. */
export function sessionsHref(base: string, query: ParsedFilters['query'], page?: { after?: string; before?: string }): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, v);
  if (page?.after) search.set('after', page.after);
  if (page?.before) search.set('before', page.before);
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}

// "Edit remark" on a session's page. The remark may be empty (it clears WeChat's); it must be one
// line of visible text (lib/forms/text.ts says why) under WeChat's 30 bytes (lib/wechat/user-info.ts).
const remark = z
  .string({ error: 'form.invalid' })
  .trim()
  .superRefine((value, ctx) => {
    const codepoint = unsafeCharacter(value);
    if (codepoint) ctx.addIssue({ code: 'custom', message: 'form.unsafeCharacters', params: { codepoint } });
    else if (!remarkFits(value)) ctx.addIssue({ code: 'custom', message: 'session.remarkTooLong' });
  });

/** "Pull transcripts now" on a session's page: the pull is the account's, the count is also this session's. */
export const pullSchema = z.object({
  sessionId: z.coerce.number({ error: 'form.invalid' }).int().positive({ error: 'form.invalid' }),
});

export const remarkSchema = z.object({
  sessionId: z.coerce.number({ error: 'form.invalid' }).int().positive({ error: 'form.invalid' }),
  remark,
});
