// CSV cells for the audit export. A cell a spreadsheet would read as a formula (= + - @, or a tab or
// carriage return first) is prefixed with an apostrophe: the audit log holds text typed by anyone
// who tried to sign in.
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
