import { describe, expect, it } from 'vitest';
import { defaultServiceHours } from '@/lib/service-hours';
import type { KfSettings } from './settings';
import { DEFAULT_TEMPLATES } from './templates';
import { offHoursText } from './texts';

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
