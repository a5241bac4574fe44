import { describe, expect, it } from 'vitest';
import { defaultServiceHours } from '@/lib/service-hours';
import type { KfSettings } from './settings';
import { DEFAULT_TEMPLATES } from './templates';
import { offHoursText, sampleResume } from './texts';

const settings = (hours: KfSettings['hours']): KfSettings => ({ keywords: ['客服'], hours, waitMinutes: 30, repeatPosition: true, templates: { ...DEFAULT_TEMPLATES } });

describe('the off-hours text', () => {
  it('says when service resumes, by name when it is tomorrow', () => {
    const sundayNight = new Date('2026-11-29T15:30:00Z'); // 23:30 Sunday in Shanghai
    const text = offHoursText(settings(defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai')), sundayNight);
    expect(text).toContain('将于 明天 09:00 恢复服务');
  });

  it('on a holiday says today is one, after the weekly hours that name today as open', () => {
    const tuesdayMorning = new Date('2026-12-08T02:00:00Z'); // 10:00 Tuesday in Shanghai
    const hours = { ...defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai'), holidays: ['2026-12-08'] };
    const text = offHoursText(settings(hours), tuesdayMorning);
    expect(text).toContain('周一至周五 09:00-18:00（今天是节假日，休息）');
    expect(text).toContain('将于 明天 09:00 恢复服务');
    expect(offHoursText(settings(defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai')), new Date('2026-12-08T12:00:00Z'))).not.toContain('节假日');
  });

  it('still reads whole when service stays closed past the look-ahead', () => {
    const now = new Date('2026-11-29T15:30:00Z');
    const holidays = Array.from({ length: 40 }, (_, i) => new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10));
    const text = offHoursText(settings({ ...defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai'), holidays }), now);
    expect(text).toContain('将于 近期 恢复服务');
    expect(text).not.toContain('将于  恢复');
  });
});

describe('the settings page’s sample {resume}', () => {
  const fridayNoon = new Date('2026-11-27T04:00:00Z'); // 12:00 Friday in Shanghai

  it('is what the off-hours text will say at the next closing, by these hours', () => {
    // Closing Friday 18:00, open again Monday 10:00.
    expect(sampleResume(settings(defaultServiceHours('mon-fri 10:00-18:00', 'Asia/Shanghai')), fridayNoon)).toBe('11月30日（周一）10:00');
    // Closing tonight at 22:00, open again tomorrow 08:00.
    expect(sampleResume(settings(defaultServiceHours('mon-sun 08:00-22:00', 'Asia/Shanghai')), fridayNoon)).toBe('明天 08:00');
  });

  it('is said as followers would read it when service never closes', () => {
    expect(sampleResume(settings(defaultServiceHours('mon-sun 00:00-24:00', 'Asia/Shanghai')), fridayNoon)).toBe('近期');
  });
});
