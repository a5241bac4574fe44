import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkbox, listOf } from './fields';
import { formDataToObject, FormShapeError, pickFields } from './form-data';
import { fieldName, pathKey } from './names';

function form(entries: [string, string | File][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

const read = (entries: [string, string | File][]) => formDataToObject(form(entries));

describe('formDataToObject', () => {
  it('keeps plain names as they are', () => {
    expect(read([['email', 'a@b.test'], ['name', 'Ann']])).toEqual({ email: 'a@b.test', name: 'Ann' });
  });

  it('keeps every value of a repeated name, in order, where Object.fromEntries kept only the last', () => {
    expect(read([['keyword', '客服'], ['keyword', '人工'], ['keyword', 'help']])).toEqual({ keyword: ['客服', '人工', 'help'] });
  });

  it('nests dotted names and turns index segments into lists', () => {
    expect(
      read([
        ['hours.mon.0.start', '09:00'],
        ['hours.mon.0.end', '12:00'],
        ['hours.mon.1.start', '13:30'],
        ['hours.mon.1.end', '18:00'],
        ['hours.timezone', 'Asia/Shanghai'],
        ['keywords.0', '客服'],
        ['keywords.1', '人工'],
      ]),
    ).toEqual({
      hours: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '18:00' },
        ],
        timezone: 'Asia/Shanghai',
      },
      keywords: ['客服', '人工'],
    });
  });

  it('orders list rows by index and closes gaps, whatever order the fields came in', () => {
    expect(read([['dates.10', 'c'], ['dates.2', 'b'], ['dates.0', 'a']])).toEqual({ dates: ['a', 'b', 'c'] });
  });

  it('keeps empty strings and files as sent', () => {
    const file = new File(['x'], 'x.txt');
    const object = read([['note', ''], ['upload', file]]);
    expect(object.note).toBe('');
    expect(object.upload).toBe(file);
  });

  it("skips Next's own $ACTION_ fields", () => {
    expect(read([['$ACTION_ID_abc', ''], ['$ACTION_1:0', '{}'], ['email', 'a@b.test']])).toEqual({ email: 'a@b.test' });
  });

  it('treats brackets as part of a name, not as a list', () => {
    expect(read([['keywords[]', 'a'], ['keywords[]', 'b']])).toEqual({ 'keywords[]': ['a', 'b'] });
  });

  it.each<[string, [string, string][]]>([
    ['a name that is both a value and a group', [['hours', 'x'], ['hours.mon', 'y']]],
    ['a group that is then given a value', [['hours.mon', 'y'], ['hours', 'x']]],
    ['a list that is then given a named field', [['keywords.0', 'a'], ['keywords.first', 'b']]],
    ['a group that is then given an index', [['hours.mon', 'a'], ['hours.0', 'b']]],
    ['an empty segment', [['hours..mon', 'a']]],
    ['a trailing dot', [['hours.', 'a']]],
    ['a prototype segment', [['__proto__.polluted', 'yes']]],
    ['a constructor segment', [['a.constructor.prototype', 'yes']]],
    ['an index with a leading zero', [['keywords.01', 'a']]],
    ['an index past the limit', [['keywords.10000', 'a']]],
    ['a list at the top level', [['0', 'a']]],
  ])('refuses %s', (_, entries) => {
    expect(() => read(entries)).toThrow(FormShapeError);
  });

  it('never touches Object.prototype', () => {
    expect(() => read([['__proto__.polluted', 'yes']])).toThrow(FormShapeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives zod what a settings schema expects', () => {
    const schema = z.object({
      keywords: listOf(z.string().trim().min(1)),
      holidays: listOf(z.string()),
      ranges: listOf(z.object({ start: z.string(), end: z.string() })),
      notify: checkbox(),
      sound: checkbox(),
    });
    const parsed = schema.parse(
      read([
        ['keywords', '客服'],
        ['ranges.0.start', '09:00'],
        ['ranges.0.end', '18:00'],
        ['notify', 'on'],
      ]),
    );
    expect(parsed).toEqual({
      keywords: ['客服'],
      holidays: [],
      ranges: [{ start: '09:00', end: '18:00' }],
      notify: true,
      sound: false,
    });
  });
});

describe('field names', () => {
  it('round-trip: the name a page renders is the path the server reports an error under', () => {
    const name = fieldName('hours', 'mon', 1, 'end');
    expect(name).toBe('hours.mon.1.end');
    const schema = z.object({ hours: z.object({ mon: z.array(z.object({ end: z.string().regex(/^\d\d:\d\d$/) })) }) });
    const result = schema.safeParse(read([['hours.mon.0.end', '09:00'], [name, 'soon']]));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => pathKey(issue.path))).toEqual([name]);
  });

  it('refuses segments that would not round-trip', () => {
    expect(() => fieldName()).toThrow();
    expect(() => fieldName('a.b')).toThrow();
    expect(() => fieldName('')).toThrow();
    expect(() => fieldName('keywords', '1')).toThrow();
    expect(() => fieldName('keywords', -1)).toThrow();
    expect(() => fieldName('keywords', 1.5)).toThrow();
  });
});

describe('pickFields', () => {
  it('keeps only the named top-level fields, so a password is never kept', () => {
    const object = read([['email', 'a@b.test'], ['password', 'secret-123456'], ['tags.0', 'x']]);
    expect(pickFields(object, ['email', 'tags', 'missing'])).toEqual({ email: 'a@b.test', tags: ['x'] });
  });
});
