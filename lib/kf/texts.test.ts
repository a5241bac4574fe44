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

  it('still reads whole when service stays closed past the look-ahead', () => {
    const now = new Date('2026-11-29T15:30:00Z');
    const holidays = Array.from({ length: 40 }, (_, i) => new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10));
    const text = offHoursText(settings({ ...defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai'), holidays }), now);
    expect(text).toContain('将于 近期 恢复服务');
    expect(text).not.toContain('将于  恢复');
  });
});
