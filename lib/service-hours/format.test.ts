import { describe, expect, it } from 'vitest';
import { formatOpening, formatSchedule } from './format';
import { parseSchedule } from './parse';

describe('formatSchedule', () => {
  it('groups consecutive days with the same hours', () => {
    const weekly = parseSchedule('mon-fri 09:00-18:00; sat 10:00-14:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周一至周五 09:00-18:00；周六 10:00-14:00');
    expect(formatSchedule(weekly, 'en')).toBe('Mon–Fri 09:00-18:00; Sat 10:00-14:00');
  });

  it('says ranges that meet as one, into the next day too', () => {
    expect(formatSchedule(parseSchedule('mon-fri 09:00-18:00,18:00-20:00'), 'zh')).toBe('周一至周五 09:00-20:00');
    expect(formatSchedule(parseSchedule('mon 18:00-22:00,09:00-18:00,22:00-02:00'), 'en')).toBe('Mon 09:00-02:00 (next day)');
    expect(formatSchedule(parseSchedule('mon 09:00-12:00,13:00-18:00'), 'zh')).toBe('周一 09:00-12:00、13:00-18:00');
  });

  it('says every day when all seven agree', () => {
    expect(formatSchedule(parseSchedule('09:00-12:00,13:00-18:00'), 'zh')).toBe('每天 09:00-12:00、13:00-18:00');
    expect(formatSchedule(parseSchedule('09:00-12:00,13:00-18:00'), 'en')).toBe('Every day 09:00-12:00, 13:00-18:00');
  });

  it('does not group days that are not next to each other', () => {
    const weekly = parseSchedule('mon,wed 09:00-18:00; tue 10:00-12:00; sat-sun 10:00-16:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周一 09:00-18:00；周二 10:00-12:00；周三 09:00-18:00；周六至周日 10:00-16:00');
  });

  it('marks a range that runs into the next morning', () => {
    const weekly = parseSchedule('fri 22:00-02:00');
    expect(formatSchedule(weekly, 'zh')).toBe('周五 22:00-次日02:00');
    expect(formatSchedule(weekly, 'en')).toBe('Fri 22:00-02:00 (next day)');
    expect(formatSchedule(parseSchedule('23:00-00:00'), 'zh')).toBe('每天 23:00-00:00');
  });

  it('says so when no day is open', () => {
    const closed = { ...parseSchedule('mon 09:00-10:00'), mon: [] };
    expect(formatSchedule(closed, 'zh')).toBe('暂无');
    expect(formatSchedule(closed, 'en')).toBe('none');
  });
});

describe('formatOpening', () => {
  it('names today, tomorrow and the day after relative to now, in the service time zone', () => {
    const monday9 = new Date('2026-11-30T01:00:00Z'); // 09:00 Monday in Shanghai
    const sundayNight = new Date('2026-11-29T15:30:00Z'); // 23:30 Sunday in Shanghai, 15:30 UTC
    expect(formatOpening(monday9, 'Asia/Shanghai', 'zh', sundayNight)).toBe('明天 09:00');
    expect(formatOpening(monday9, 'Asia/Shanghai', 'en', sundayNight)).toBe('tomorrow 09:00');
    expect(formatOpening(monday9, 'Asia/Shanghai', 'zh', new Date('2026-11-30T00:30:00Z'))).toBe('今天 09:00');
    expect(formatOpening(monday9, 'Asia/Shanghai', 'zh', new Date('2026-11-28T02:00:00Z'))).toBe('后天 09:00');
    expect(formatOpening(monday9, 'Asia/Shanghai', 'zh', new Date('2026-11-27T02:00:00Z'))).toBe('11月30日（周一）09:00');
  });

  it('names the local date, weekday and time', () => {
    const monday = new Date('2026-11-30T01:00:00Z');
    expect(formatOpening(monday, 'Asia/Shanghai', 'zh')).toBe('11月30日（周一）09:00');
    expect(formatOpening(monday, 'Asia/Shanghai', 'en')).toBe('Mon Nov 30, 09:00');
    expect(formatOpening(monday, 'America/New_York', 'en')).toBe('Sun Nov 29, 20:00');
  });
});
