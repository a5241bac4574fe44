'use client';
// What a follower would get, computed with the webhook's own functions (isOpen, offHoursText) on the
// schedule being edited, before it is saved.
import { useMemo, useState } from 'react';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { translator, type Locale } from '@/lib/i18n/format';
import type { KfSettings } from '@/lib/kf/settings';
import { offHoursText } from '@/lib/kf/texts';
import { isOpen, type ServiceHours } from '@/lib/service-hours';
import { addDays, dateOfWall, instantsAtWall, wallClock, wallOfDate } from '@/lib/service-hours/clock';

const HALF_HOUR = 30 * 60_000;

/** The instant a local wall time names in the zone (the later one in a spring-forward gap). */
function instantAt(wall: number, timezone: string): number {
  return instantsAtWall(wall, timezone)[0] ?? instantsAtWall(wall + 3_600_000, timezone)[0] ?? wall;
}

export function HoursPreview({
  hours,
  saved,
  locale,
}: {
  /** The schedule as edited, or null while it has a mistake. */
  hours: ServiceHours | null;
  saved: Pick<KfSettings, 'keywords' | 'templates' | 'waitMinutes' | 'repeatPosition'>;
  locale: Locale;
}) {
  const t = translator(locale);
  const timezone = hours?.timezone ?? 'Asia/Shanghai';
  const [at, setAt] = useState(() => new Date(wallClock(Date.now(), timezone)).toISOString().slice(0, 16));
  const keyword = saved.keywords[0] ?? '';

  const result = useMemo(() => {
    if (!hours) return null;
    const wall = Date.parse(`${at}:00Z`);
    if (!Number.isFinite(wall)) return null;
    const instant = new Date(instantAt(wall, hours.timezone));
    const settings: KfSettings = { ...saved, hours };
    return { open: isOpen(hours, instant), offHours: offHoursText(settings, instant) };
  }, [hours, at, saved]);

  const week = useMemo(() => {
    if (!hours) return [];
    const today = dateOfWall(wallClock(Date.now(), hours.timezone));
    return Array.from({ length: 7 }, (_, i) => {
      const date = addDays(today, i);
      const start = wallOfDate(date);
      const cells = Array.from({ length: 48 }, (_, c) => isOpen(hours, new Date(instantAt(start + c * HALF_HOUR, hours.timezone))));
      return { date, cells };
    });
  }, [hours]);

  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-3 sm:p-4" data-testid="hours-preview">
      <h3 className="text-sm font-semibold">{t('settings.preview.title')}</h3>
      {!hours ? (
        <p className="mt-2 text-sm text-slate-600">{t('settings.preview.fixFirst')}</p>
      ) : (
        <>
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <Field label={t('settings.preview.when', { keyword, timezone })} className="w-60">
              <Input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
            </Field>
          </div>
          {result && (
            <div className="mt-3 text-sm" role="status" data-testid="preview-result">
              {result.open ? (
                <p className="font-medium text-brand-700">{t('settings.preview.inHours')}</p>
              ) : (
                <>
                  <p className="font-medium text-amber-800">{t('settings.preview.offHours')}</p>
                  <p className="mt-1 rounded-md border border-slate-200 bg-white px-3 py-2 whitespace-pre-wrap" data-testid="preview-off-hours">
                    {result.offHours}
                  </p>
                </>
              )}
            </div>
          )}
          <h4 className="mt-4 text-xs font-medium text-slate-600">{t('settings.preview.week')}</h4>
          <ol className="mt-1 space-y-1" aria-label={t('settings.preview.week')}>
            {week.map(({ date, cells }) => (
              <li key={date} className="flex items-center gap-2 text-xs">
                <span className="w-20 shrink-0 font-mono text-slate-600">{date.slice(5)}</span>
                <span className="flex h-3 min-w-0 flex-1 overflow-hidden rounded-sm bg-slate-200" aria-label={openText(cells, t('settings.preview.closedDay'))}>
                  {cells.map((open, c) => (
                    <span key={c} className={open ? 'h-full flex-1 bg-brand-600' : 'h-full flex-1'} />
                  ))}
                </span>
              </li>
            ))}
          </ol>
          <p className="mt-1 flex justify-between pl-22 font-mono text-[10px] text-slate-500" aria-hidden="true">
            <span>00</span>
            <span>06</span>
            <span>12</span>
            <span>18</span>
            <span>24</span>
          </p>
        </>
      )}
    </div>
  );
}

/** 09:00-18:00 for a screen reader, from the half-hour cells. */
function openText(cells: boolean[], closed: string): string {
  const spans: string[] = [];
  const time = (c: number) => `${String(Math.floor(c / 2)).padStart(2, '0')}:${c % 2 ? '30' : '00'}`;
  for (let c = 0; c < cells.length; c++) {
    if (!cells[c] || cells[c - 1]) continue;
    let end = c;
    while (cells[end]) end++;
    spans.push(`${time(c)}-${time(end)}`);
  }
  return spans.length > 0 ? spans.join(', ') : closed;
}
