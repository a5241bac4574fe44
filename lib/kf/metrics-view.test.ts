import { describe, expect, it } from 'vitest';
import { daysBetween, fillDays, formatSeconds, serviceLevel } from './metrics-view';

describe('serviceLevel', () => {
  it('is the share accepted within target among sessions that left the queue', () => {
    expect(serviceLevel({ withinTarget: 3, leftQueue: 4 })).toBe(0.75);
    expect(serviceLevel({ withinTarget: 0, leftQueue: 5 })).toBe(0);
  });

  it('is null, not 0 % or 100 %, when no session left the queue', () => {
    expect(serviceLevel({ withinTarget: 0, leftQueue: 0 })).toBeNull();
  });
});

describe('days of a range', () => {
  it('lists every date, both ends included, across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('fills days without sessions with zeros and keeps days with them', () => {
    const filled = fillDays([{ day: '2026-03-02', sessions: 4 }], '2026-03-01', '2026-03-03', { sessions: 0 });
    expect(filled).toEqual([
      { day: '2026-03-01', sessions: 0 },
      { day: '2026-03-02', sessions: 4 },
      { day: '2026-03-03', sessions: 0 },
    ]);
  });
});

describe('formatSeconds', () => {
  it('shows seconds, minutes and hours compactly', () => {
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
    expect(formatSeconds(120)).toBe('2 min');
    expect(formatSeconds(3 * 3600 + 5 * 60 + 9)).toBe('3 h 5 min');
    expect(formatSeconds(null)).toBe('—');
    // Chinese units follow their numbers without spaces, as the Live page's clocks write them.
    expect(formatSeconds(179, { h: '小时', min: '分', s: '秒' })).toBe('2分59秒');
    expect(formatSeconds(3 * 3600 + 5 * 60, { h: '小时', min: '分', s: '秒' })).toBe('3小时5分');
  });
});
