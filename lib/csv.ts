// CSV for spreadsheets: RFC 4180 (fields with a comma, quote, CR or LF are quoted, quotes doubled,
// CRLF line ends), a UTF-8 BOM first so Excel reads Chinese as UTF-8, and a guard against formula
// injection: a cell starting with = + - @ (or a tab or CR, which some spreadsheets skip before
// reading a formula) gets a leading apostrophe, so it is shown as text and never run.

import { wallClock } from '@/lib/service-hours/clock';

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  // Numbers we write ourselves (counts, seconds) are data, not formulas: a negative stays a number.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A download's time stamp in the service's zone, as the staff who asked for it read their clock: 202612072241. */
export function exportStamp(at: Date, timezone: string): string {
  return new Date(wallClock(at.getTime(), timezone)).toISOString().slice(0, 16).replace(/[-:T]/g, '');
}
