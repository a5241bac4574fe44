// A settings save's before → after as lines a person reads: "Monday: 09:00-18:00 → 10:00-18:00",
// not two JSON blobs. Values are flattened to labelled paths (a weekday's ranges, the holidays as
// date spans, one line per extra working date, one per reply text), and only paths that changed are
// listed. Unknown shapes still diff, as compact JSON under their path.
import { compressDates } from '@/lib/kf/hours-form';

export interface DiffLine {
  /** e.g. ['hours', 'weekly', 'mon'], ['templates', 'offHours'], ['keywords']. */
  path: string[];
  before: string | null;
  after: string | null;
}

const isRange = (v: unknown): v is { start: string; end: string } =>
  typeof v === 'object' && v !== null && typeof (v as { start?: unknown }).start === 'string' && typeof (v as { end?: unknown }).end === 'string';

function rangesText(ranges: unknown[]): string {
  return ranges.filter(isRange).map((r) => `${r.start}-${r.end}`).join(', ');
}

function flatten(value: unknown, path: string[], out: Map<string, { path: string[]; text: string }>): void {
  const put = (p: string[], text: string): void => {
    out.set(p.join('.'), { path: p, text });
  };
  const last = path.at(-1);
  if (Array.isArray(value)) {
    if (last === 'holidays' && value.every((v) => typeof v === 'string')) {
      return put(path, compressDates(value as string[]).map((s) => (s.from === s.to ? s.from : `${s.from}~${s.to}`)).join(', ') || '∅');
    }
    if (last === 'extraWorkdays') {
      for (const extra of value as { date?: unknown; ranges?: unknown }[]) {
        if (typeof extra?.date === 'string' && Array.isArray(extra.ranges)) put([...path, extra.date], rangesText(extra.ranges));
      }
      return;
    }
    // A day's ranges (an empty one is a closed day).
    if (value.every(isRange)) return put(path, value.length === 0 ? '∅' : rangesText(value));
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return put(path, value.join(', '));
    return put(path, JSON.stringify(value));
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, [...path, key], out);
    return;
  }
  put(path, value === undefined || value === null ? '∅' : String(value));
}

export function settingsDiff(before: unknown, after: unknown): DiffLine[] {
  const a = new Map<string, { path: string[]; text: string }>();
  const b = new Map<string, { path: string[]; text: string }>();
  flatten(before, [], a);
  flatten(after, [], b);
  const lines: DiffLine[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const was = a.get(key);
    const now = b.get(key);
    if (was?.text === now?.text) continue;
    lines.push({ path: (now ?? was)!.path, before: was?.text ?? null, after: now?.text ?? null });
  }
  return lines;
}
