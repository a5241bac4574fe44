// The audit page's filters as they arrive in its URL (?user=3&kind=settings&from=…&to=…&before=…),
// checked: a value that does not parse is dropped and named, never passed to a query.
import { z } from 'zod';
import { isCalendarDate } from '@/lib/service-hours/clock';
import { AUDIT_KINDS } from './labels';

export interface AuditFilters {
  user?: number;
  kind?: string;
  /** Local dates in the service's zone, inclusive. */
  from?: string;
  to?: string;
  /** Keyset cursor: the last row's exact time and id, as `<iso>_<id>`. */
  before?: { at: string; id: number };
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,10})$/;

const fields = {
  user: z.coerce.number().int().positive().max(2 ** 31 - 1),
  // One of the kinds the page offers: another would empty the list while the field shows "any kind".
  kind: z.string().refine((kind) => Object.hasOwn(AUDIT_KINDS, kind)),
  from: z.string().refine(isCalendarDate),
  to: z.string().refine(isCalendarDate),
};

type Params = Record<string, string | string[] | undefined>;

export function parseAuditFilters(params: Params): { filters: AuditFilters; invalid: string[]; swapped: boolean } {
  const filters: AuditFilters = {};
  const invalid: string[] = [];
  const one = (name: string) => {
    const value = params[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text === undefined || text === '' ? undefined : text;
  };
  for (const name of Object.keys(fields) as (keyof typeof fields)[]) {
    const text = one(name);
    if (text === undefined) continue;
    const parsed = fields[name].safeParse(text);
    if (parsed.success) (filters as Record<string, unknown>)[name] = parsed.data;
    else invalid.push(name);
  }
  const before = one('before');
  if (before !== undefined) {
    const match = CURSOR.exec(before);
    if (match) filters.before = { at: match[1]!, id: Number(match[2]) };
    else invalid.push('before');
  }
  // A range given end first is meant the right way round; the page says it was turned.
  const swapped = filters.from !== undefined && filters.to !== undefined && filters.from > filters.to;
  if (swapped) [filters.from, filters.to] = [filters.to, filters.from];
  return { filters, invalid, swapped };
}

/** The query string for these filters (and a cursor), for links and the CSV export. */
export function auditQuery(filters: AuditFilters, extra: { before?: string } = {}): string {
  const params = new URLSearchParams();
  if (filters.user !== undefined) params.set('user', String(filters.user));
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (extra.before) params.set('before', extra.before);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const cursorParam = (row: { cursorAt: string; id: number }) => `${row.cursorAt}_${row.id}`;
