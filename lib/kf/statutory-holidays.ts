// Mainland China's statutory holidays and their make-up working days (调休), from the chinese-days
// package, which follows the State Council's yearly notice. Nothing here names a year: the page
// offers whichever years the installed package knows; a year it does not know yet is pasted instead.
import 'server-only';
import data from 'chinese-days/dist/chinese-days.json';

export interface StatutoryYear {
  year: number;
  /** Days off, with the festival's Chinese name. */
  holidays: { date: string; name: string }[];
  /** Weekend days that are working days in exchange (调休). */
  workdays: { date: string; name: string }[];
}

// Values look like "National Day,国庆节,3": English name, Chinese name, length.
const nameOf = (value: string) => value.split(',')[1] ?? value;

function entriesOf(table: Record<string, string> | undefined, year: number) {
  return Object.entries(table ?? {})
    .filter(([date]) => date.startsWith(`${year}-`))
    .map(([date, value]) => ({ date, name: nameOf(value) }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The years among `years` that the package has a schedule for, each from `from` (YYYY-MM-DD, the
 * service's today) on: past days change no one's hours, and imported they would only fill the list.
 * A year with no holiday left is not offered.
 */
export function statutoryYears(years: number[], from = ''): StatutoryYear[] {
  const tables = data as { holidays?: Record<string, string>; workdays?: Record<string, string> };
  const ahead = (days: { date: string; name: string }[]) => days.filter((d) => d.date >= from);
  return years
    .map((year) => ({ year, holidays: ahead(entriesOf(tables.holidays, year)), workdays: ahead(entriesOf(tables.workdays, year)) }))
    .filter((y) => y.holidays.length > 0);
}

/** The years among `years` the installed package has no schedule for at all (not yet published when it was released). */
export function statutoryYearsUnknown(years: number[]): number[] {
  const tables = data as { holidays?: Record<string, string> };
  return years.filter((year) => entriesOf(tables.holidays, year).length === 0);
}
