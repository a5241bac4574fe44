import { describe, expect, it } from 'vitest';
import { ServiceHoursError } from './errors';
import type { TimeRange } from './model';
import { defaultServiceHours, parseSchedule } from './parse';

const range = (start: string, end: string): TimeRange => ({ start, end });

describe('parseSchedule', () => {
  it('reads a bare range as every day', () => {
    const weekly = parseSchedule('09:00-18:00');
    expect(Object.values(weekly)).toEqual(Array(7).fill([range('09:00', '18:00')]));
  });

  it('reads days, several ranges and several segments', () => {
    const weekly = parseSchedule('mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00');
    expect(weekly.wed).toEqual([range('09:00', '12:00'), range('13:30', '18:00')]);
    expect(weekly.sat).toEqual([range('10:00', '14:00')]);
    expect(weekly.sun).toEqual([]);
  });

  it('reads English day names in any case, short or long', () => {
    const weekly = parseSchedule('MON-Wed 09:00-10:00; Friday 11:00-12:00; SUNDAY 13:00-14:00');
    expect(weekly.tue).toEqual([range('09:00', '10:00')]);
    expect(weekly.thu).toEqual([]);
    expect(weekly.fri).toEqual([range('11:00', '12:00')]);
    expect(weekly.sun).toEqual([range('13:00', '14:00')]);
  });

  it('reads Chinese day names, with or without a space before the times', () => {
    const weekly = parseSchedule('周一至周五09:00-18:00；星期六 10:00-14:00；星期日 11:00-12:00');
    expect(weekly.fri).toEqual([range('09:00', '18:00')]);
    expect(weekly.sat).toEqual([range('10:00', '14:00')]);
    expect(weekly.sun).toEqual([range('11:00', '12:00')]);
    expect(parseSchedule('周日 10:00-11:00').sun).toEqual([range('10:00', '11:00')]);
    expect(parseSchedule('星期一到星期三 10:00-11:00').wed).toEqual([range('10:00', '11:00')]);
  });

  it('wraps a day range over the end of the week', () => {
    const weekly = parseSchedule('sat-mon 10:00-16:00');
    expect(weekly.sat).toEqual([range('10:00', '16:00')]);
    expect(weekly.sun).toEqual([range('10:00', '16:00')]);
    expect(weekly.mon).toEqual([range('10:00', '16:00')]);
    expect(weekly.tue).toEqual([]);
    expect(parseSchedule('周六至周一 10:00-16:00').mon).toEqual([range('10:00', '16:00')]);
  });

  it('reads a list of single days', () => {
    const weekly = parseSchedule('mon,wed、fri 09:00-10:00');
    expect(Object.entries(weekly).filter(([, r]) => r.length > 0).map(([d]) => d)).toEqual(['mon', 'wed', 'fri']);
  });

  it('reads daily and 每天 as all seven days, up to 24:00', () => {
    expect(Object.values(parseSchedule('daily 00:00-24:00'))).toEqual(Array(7).fill([range('00:00', '24:00')]));
    expect(parseSchedule('每天 08:00-20:00').sun).toEqual([range('08:00', '20:00')]);
  });

  it('accepts an en dash, a tilde, full-width forms and a one-digit hour', () => {
    expect(parseSchedule('sat 10:00–14:00').sat).toEqual([range('10:00', '14:00')]);
    expect(parseSchedule('sat 10:00~14:00').sat).toEqual([range('10:00', '14:00')]);
    expect(parseSchedule('周六 １０：００～１４：００，15:00-16:00').sat).toEqual([range('10:00', '14:00'), range('15:00', '16:00')]);
    expect(parseSchedule('8:30-9:45').mon).toEqual([range('08:30', '09:45')]);
  });

  it('keeps an overnight range as written', () => {
    expect(parseSchedule('fri 22:00-02:00').fri).toEqual([range('22:00', '02:00')]);
  });

  it('lets a later segment replace the hours of a day named earlier', () => {
    const weekly = parseSchedule('daily 09:00-18:00; sun 10:00-16:00');
    expect(weekly.sat).toEqual([range('09:00', '18:00')]);
    expect(weekly.sun).toEqual([range('10:00', '16:00')]);
  });

  it('gives each day its own ranges, so editing one day leaves the others alone', () => {
    const weekly = parseSchedule('mon-fri 09:00-18:00');
    weekly.mon[0]!.end = '12:00';
    expect(weekly.tue).toEqual([range('09:00', '18:00')]);
  });

  it.each<[string, string, Record<string, string | number>]>([
    ['25:00-26:00', 'error.hours.notATime', { text: '25:00' }],
    ['09:60-10:00', 'error.hours.notATime', { text: '09:60' }],
    ['09:00-24:30', 'error.hours.notATime', { text: '24:30' }],
    ['0900-1800', 'error.hours.notATime', { text: '0900' }],
    ['mon 09:00-10:00 extra', 'error.hours.notATime', { text: '10:00 extra' }],
    ['24:00-10:00', 'error.hours.startsAt24', { text: '24:00-10:00' }],
    ['09:00-09:00', 'error.hours.emptyRange', { text: '09:00-09:00', time: '09:00' }],
    ['09:00-', 'error.hours.notARange', { text: '09:00-' }],
    ['09:00-12:00-13:00', 'error.hours.notARange', { text: '09:00-12:00-13:00' }],
    ['mon-xyz 09:00-10:00', 'error.hours.notADay', { text: 'mon-xyz' }],
    ['mon-tue-wed 09:00-10:00', 'error.hours.notADay', { text: 'mon-tue-wed' }],
    ['constructor 09:00-10:00', 'error.hours.notADay', { text: 'constructor' }],
    ['mon,,fri 09:00-10:00', 'error.hours.notADay', { text: '' }],
    ['whenever', 'error.hours.notASegment', { text: 'whenever' }],
    ['mon-fri', 'error.hours.notASegment', { text: 'mon-fri' }],
    [
      'mon 1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00,11:00-12:00,13:00-14:00',
      'error.hours.tooManyRanges',
      { text: 'mon 1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00,11:00-12:00,13:00-14:00', max: 6 },
    ],
    ['', 'error.hours.emptySchedule', {}],
    [' ; \n ', 'error.hours.emptySchedule', {}],
  ])('refuses %j naming the problem', (text, code, params) => {
    expect(() => parseSchedule(text)).toThrow(ServiceHoursError);
    expect(() => parseSchedule(text)).toThrow(expect.objectContaining({ code, params }));
  });

  it('says what is wrong in English for the terminal, from the same catalog the console uses', () => {
    expect(() => parseSchedule('mon-fri 9-5')).toThrow('"9" is not a time; times should look like 09:00 (00:00 to 24:00).');
    expect(() => parseSchedule('whenever')).toThrow('"whenever" should look like "mon-fri 09:00-18:00".');
    expect(() => parseSchedule('')).toThrow('The schedule is empty.');
  });
});

describe('defaultServiceHours', () => {
  it('builds hours with no holidays or extra working dates', () => {
    expect(defaultServiceHours('sat 10:00-14:00', 'America/New_York')).toEqual({
      timezone: 'America/New_York',
      weekly: parseSchedule('sat 10:00-14:00'),
      holidays: [],
      extraWorkdays: [],
    });
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(() => defaultServiceHours('09:00-18:00', 'Mars/Olympus')).toThrow(ServiceHoursError);
    expect(() => defaultServiceHours('09:00-18:00', 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: 'error.hours.notATimeZone', params: { timezone: 'Mars/Olympus' } }),
    );
    expect(() => defaultServiceHours('09:00-18:00', 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is not an IANA time zone/);
  });
});
