'use client';
// The service hours form: a week of ranges (several a day, overnight, 24:00, closed), the time zone,
// holidays (dates and ranges, imported or pasted) and extra working dates (调休) with their hours.
// Field names are the paths the server reports errors at (weekly.mon.1.end, holidays.0.to…).
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { useFocusAdded } from '@/components/ui/focus-added';
import type { FormAction } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { translator, type Locale } from '@/lib/i18n/format';
import { addHolidayRows, compressDates, expandDateSpans, findOverlaps, MAX_HOLIDAY_RANGE_DAYS, normalizeTimeText, parseDateList, type DateSpan } from '@/lib/kf/hours-form';
import type { KfSettings } from '@/lib/kf/settings';
import { formatSchedule, serviceHoursSchema, WEEKDAYS, type ServiceHours, type TimeRange, type Weekday } from '@/lib/service-hours';
import { HoursPreview } from './hours-preview';
import { SectionForm } from './section-form';

export interface StatutoryYearData {
  year: number;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

type Extra = { date: string; ranges: TimeRange[] };

export function HoursEditor({
  action,
  version,
  readOnly,
  source,
  initial,
  saved,
  statutory,
  statutoryUnknown,
  timezones,
  locale,
}: {
  action: FormAction;
  version: number;
  readOnly: boolean;
  source: string;
  initial: ServiceHours;
  saved: Pick<KfSettings, 'keywords' | 'templates' | 'waitMinutes' | 'repeatPosition'>;
  statutory: StatutoryYearData[];
  /** Years the bundled holiday data does not know yet: said beside the import buttons. */
  statutoryUnknown: number[];
  timezones: string[];
  locale: Locale;
}) {
  const t = translator(locale);
  const [timezone, setTimezone] = useState(initial.timezone);
  const [weekly, setWeekly] = useState<Record<Weekday, TimeRange[]>>(initial.weekly);
  const [holidays, setHolidays] = useState<Required<DateSpan>[]>(() => compressDates(initial.holidays));
  const [extras, setExtras] = useState<Extra[]>(initial.extraWorkdays);
  const [paste, setPaste] = useState('');
  const [pasteNote, setPasteNote] = useState('');

  // The preview needs a schedule the webhook would accept; while it has a mistake it waits.
  const edited = useMemo((): ServiceHours | null => {
    const { dates, issues } = expandDateSpans(holidays.map((h) => ({ from: h.from, to: h.to || h.from })));
    if (issues.length > 0) return null;
    const parsed = serviceHoursSchema.safeParse({ timezone, weekly, holidays: dates, extraWorkdays: extras });
    if (!parsed.success || findOverlaps(parsed.data).length > 0) return null;
    return parsed.data as ServiceHours;
  }, [timezone, weekly, holidays, extras]);

  const setDay = (day: Weekday, ranges: TimeRange[]) => setWeekly((w) => ({ ...w, [day]: ranges }));
  const copyMonday = () => setWeekly((w) => ({ ...w, tue: [...w.mon], wed: [...w.mon], thu: [...w.mon], fri: [...w.mon] }));

  /** Appends the spans' dates as rows (addHolidayRows: the rows there are kept as typed); what it did. */
  const addSpans = (spans: DateSpan[]) => {
    const result = addHolidayRows(holidays, spans);
    setHolidays(result.rows.map((row) => ({ from: row.from, to: row.to || row.from })));
    return result;
  };

  const importYear = (year: StatutoryYearData) => {
    addSpans(year.holidays.map((h) => ({ from: h.date, to: h.date })));
    setExtras((current) => {
      const known = new Set(current.map((e) => e.date));
      const workday = weekly.mon.length > 0 ? weekly.mon : [{ start: '09:00', end: '18:00' }];
      const added = year.workdays.filter((w) => !known.has(w.date)).map((w) => ({ date: w.date, ranges: workday.map((r) => ({ ...r })) }));
      return [...current, ...added].sort((a, b) => a.date.localeCompare(b.date));
    });
    setPasteNote(t('settings.hours.imported', { year: year.year, holidays: year.holidays.length, workdays: year.workdays.length }));
  };

  const applyPaste = () => {
    const { spans, unreadable } = parseDateList(paste);
    const { added, tooLong } = addSpans(spans);
    setPaste([...unreadable, ...tooLong.map((s) => `${s.from}~${s.to}`)].join('\n'));
    const note = unreadable.length > 0 ? t('settings.hours.pasteUnreadable', { count: unreadable.length, added }) : t('settings.hours.pasted', { count: added });
    setPasteNote(tooLong.length > 0 ? `${note} ${t('settings.hours.pasteTooLong', { count: tooLong.length, max: MAX_HOLIDAY_RANGE_DAYS })}` : note);
  };

  return (
    <SectionForm
      id="hours"
      title={t('settings.hours.title')}
      source={source}
      action={action}
      version={version}
      readOnly={readOnly}
      submitLabel={t('settings.hours.save')}
      leaveWarning={t('settings.leaveUnsaved')} shortcutHint={t('settings.saveShortcut')}
      aside={
        <>
          <HoursPreview hours={edited} saved={saved} locale={locale} />
          <div className="rounded-lg border border-slate-200 p-3 text-sm">
            <h3 className="text-sm font-semibold">{t('settings.hours.hoursVariable')}</h3>
            <p className="mt-1 text-slate-700" data-testid="hours-variable">
              {edited ? formatSchedule(edited.weekly, 'zh') : '—'}
            </p>
          </div>
        </>
      }
    >
      {() => (
          <div className="min-w-0 space-y-6">
            <Field label={t('settings.hours.timezone')} name="timezone" help={t('settings.hours.timezoneHelp')} className="max-w-sm">
              <Input name="timezone" list="iana-zones" value={timezone} onChange={(e) => setTimezone(e.target.value)} autoComplete="off" />
            </Field>
            <datalist id="iana-zones">
              {timezones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>

            <fieldset className="min-w-0">
              <legend className="mb-2 text-sm font-medium text-slate-700">{t('settings.hours.weekly')}</legend>
              <p className="mb-3 text-xs text-slate-500">{t('settings.hours.weeklyHelp')}</p>
              <ul className="space-y-2">
                {WEEKDAYS.map((day) => (
                  <li key={day} className="flex flex-col gap-1 border-b border-slate-100 pb-2 sm:flex-row sm:items-start sm:gap-3" data-testid={`day-${day}`}>
                    <span className="shrink-0 pt-1 text-sm font-medium sm:w-24">{t(`settings.day.${day}`)}</span>
                    <RangeRows
                      prefix={`weekly.${day}`}
                      ranges={weekly[day]}
                      onChange={(ranges) => setDay(day, ranges)}
                      closedLabel={t('settings.hours.closedAllDay')}
                      dayLabel={t(`settings.day.${day}`)}
                      locale={locale}
                    />
                  </li>
                ))}
              </ul>
              <Button size="sm" className="mt-3" onClick={copyMonday}>
                {t('settings.hours.copyMonday')}
              </Button>
            </fieldset>

            <fieldset className="min-w-0">
              <legend className="mb-2 text-sm font-medium text-slate-700">{t('settings.hours.holidays')}</legend>
              <p className="mb-3 text-xs text-slate-500">{t('settings.hours.holidaysHelp')}</p>
              {holidays.length === 0 && <p className="mb-2 text-sm text-slate-500">{t('settings.hours.noHolidays')}</p>}
              <ul className="space-y-2">
                {holidays.map((span, i) => (
                  <li key={i} className="flex flex-wrap items-start gap-2">
                    <Field label={t('settings.hours.from')} name={`holidays.${i}.from`} labelHidden className="w-32">
                      <Input name={`holidays.${i}.from`} value={span.from} placeholder="2026-10-01" controlSize="sm"
                        onChange={(e) => setHolidays((hs) => hs.map((h, j) => (j === i ? { ...h, from: e.target.value } : h)))} />
                    </Field>
                    <span className="pt-1 text-slate-400">–</span>
                    <Field label={t('settings.hours.to')} name={`holidays.${i}.to`} labelHidden className="w-32">
                      <Input name={`holidays.${i}.to`} value={span.to} placeholder="2026-10-07" controlSize="sm"
                        onChange={(e) => setHolidays((hs) => hs.map((h, j) => (j === i ? { ...h, to: e.target.value } : h)))} />
                    </Field>
                    <Button size="sm" variant="ghost" aria-label={t('settings.hours.removeHoliday', { date: span.from })} onClick={() => setHolidays((hs) => hs.filter((_, j) => j !== i))}>
                      {t('settings.remove')}
                    </Button>
                  </li>
                ))}
              </ul>
              <div className="mt-3 flex flex-wrap gap-2">
                <Button size="sm" onClick={() => setHolidays((hs) => [...hs, { from: '', to: '' }])}>
                  {t('settings.hours.addHoliday')}
                </Button>
                {statutory.map((year) => (
                  <Button key={year.year} size="sm" onClick={() => importYear(year)}>
                    {t('settings.hours.importYear', { year: year.year })}
                  </Button>
                ))}
              </div>
              {statutoryUnknown.length > 0 && (
                <p className="mt-2 text-xs text-slate-500" data-testid="statutory-unknown">
                  {t('settings.hours.statutoryUnknown', { years: statutoryUnknown.join('、') })}
                </p>
              )}
              <div className="mt-3 max-w-md">
                <Field label={t('settings.hours.paste')} help={t('settings.hours.pasteHelp')}>
                  <Textarea value={paste} onChange={(e) => setPaste(e.target.value)} rows={2} controlSize="sm" />
                </Field>
                <Button size="sm" className="mt-2" onClick={applyPaste} disabled={paste.trim() === ''}>
                  {t('settings.hours.pasteApply')}
                </Button>
                <p role="status" className="mt-1 text-xs text-slate-600">{pasteNote}</p>
              </div>
            </fieldset>

            <fieldset className="min-w-0">
              <legend className="mb-2 text-sm font-medium text-slate-700">{t('settings.hours.extraWorkdays')}</legend>
              <p className="mb-3 text-xs text-slate-500">{t('settings.hours.extraHelp')}</p>
              <ul className="space-y-3">
                {extras.map((extra, i) => (
                  <li key={i} className="flex flex-col gap-2 sm:flex-row sm:items-start">
                    <Field label={t('settings.hours.date')} name={`extraWorkdays.${i}.date`} labelHidden className="w-32">
                      <Input name={`extraWorkdays.${i}.date`} value={extra.date} placeholder="2026-10-10" controlSize="sm"
                        onChange={(e) => setExtras((xs) => xs.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)))} />
                    </Field>
                    <RangeRows
                      prefix={`extraWorkdays.${i}.ranges`}
                      ranges={extra.ranges}
                      onChange={(ranges) => setExtras((xs) => xs.map((x, j) => (j === i ? { ...x, ranges } : x)))}
                      dayLabel={extra.date}
                      locale={locale}
                    />
                    <Button size="sm" variant="ghost" onClick={() => setExtras((xs) => xs.filter((_, j) => j !== i))}>
                      {t('settings.remove')}
                    </Button>
                  </li>
                ))}
              </ul>
              <Button size="sm" className="mt-3" onClick={() => setExtras((xs) => [...xs, { date: '', ranges: [{ start: '09:00', end: '18:00' }] }])}>
                {t('settings.hours.addExtra')}
              </Button>
            </fieldset>
          </div>
      )}
    </SectionForm>
  );
}

function RangeRows({
  prefix,
  ranges,
  onChange,
  closedLabel,
  dayLabel,
  locale,
}: {
  prefix: string;
  ranges: TimeRange[];
  onChange: (ranges: TimeRange[]) => void;
  closedLabel?: string;
  dayLabel: string;
  locale: Locale;
}) {
  const t = translator(locale);
  const set = (i: number, part: keyof TimeRange, value: string) => onChange(ranges.map((r, j) => (j === i ? { ...r, [part]: value } : r)));
  const added = useFocusAdded<HTMLDivElement>(ranges.length);
  return (
    <div ref={added.container} className="flex min-w-0 flex-1 flex-wrap items-start gap-x-3 gap-y-2">
      {ranges.length === 0 && closedLabel && <p className="py-1 text-sm text-slate-500">{closedLabel}</p>}
      {ranges.map((range, i) => (
        <div key={i} className="flex items-start gap-1">
          <Field label={t('settings.hours.start', { day: dayLabel, n: i + 1 })} name={`${prefix}.${i}.start`} labelHidden className="w-20">
            <Input name={`${prefix}.${i}.start`} value={range.start} onChange={(e) => set(i, 'start', e.target.value)} onBlur={(e) => set(i, 'start', normalizeTimeText(e.target.value))} placeholder="09:00" inputMode="numeric" controlSize="sm" />
          </Field>
          <span className="pt-1 text-slate-400">–</span>
          <Field label={t('settings.hours.end', { day: dayLabel, n: i + 1 })} name={`${prefix}.${i}.end`} labelHidden className="w-20">
            <Input name={`${prefix}.${i}.end`} value={range.end} onChange={(e) => set(i, 'end', e.target.value)} onBlur={(e) => set(i, 'end', normalizeTimeText(e.target.value))} placeholder="18:00" inputMode="numeric" controlSize="sm" />
          </Field>
          <Button size="sm" variant="ghost" aria-label={t('settings.hours.removeRange', { day: dayLabel, n: i + 1 })} onClick={() => onChange(ranges.filter((_, j) => j !== i))}>
            ×
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap gap-1">
        <Button size="sm" variant="ghost" className="text-brand-700" onClick={() => {
            added.focusAfterAdd(`input[name="${prefix}.${ranges.length}.start"]`);
            onChange([...ranges, { start: '', end: '' }]);
          }}>
          {t('settings.hours.addRange')}
        </Button>
        {closedLabel && ranges.length > 0 && (
          <Button size="sm" variant="ghost" onClick={() => onChange([])}>
            {closedLabel}
          </Button>
        )}
      </div>
    </div>
  );
}

