import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvRow, exportStamp } from './csv';

describe('csvCell', () => {
  it('leaves plain text, Chinese and numbers alone', () => {
    expect(csvCell('hello')).toBe('hello');
    expect(csvCell('你好，客服')).toBe('你好，客服');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
  });

  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('prefixes cells that a spreadsheet would read as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes empty cells for null and undefined, ISO time for dates', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 'b,c', null, 1])).toBe('a,"b,c",,1\r\n');
  });

  it('has a BOM that is the UTF-8 byte order mark', () => {
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('exportStamp', () => {
  it('stamps a download at the service\'s wall time, not UTC', () => {
    const at = new Date('2026-12-07T14:41:30Z');
    expect(exportStamp(at, 'Asia/Shanghai')).toBe('202612072241');
    expect(exportStamp(at, 'UTC')).toBe('202612071441');
    expect(exportStamp(new Date('2026-12-31T20:00:00Z'), 'Asia/Shanghai')).toBe('202701010400');
  });
});
