// The date filters of Sessions and Metrics, as they come from the URL: a date that has the shape but
// is no day (2026-02-30) is refused, not rolled into March; a range refused as a whole says why.
import { describe, expect, it } from 'vitest';
import { parseMetricsQuery } from '@/app/(console)/metrics/schemas';
import { parseSessionFilters } from '@/app/(console)/sessions/schemas';

const NOW = new Date('2026-12-07T08:00:00Z');

describe('date filters', () => {
  it('Sessions: refuses a date that is no day, and names a backwards range', () => {
    expect(parseSessionFilters({ from: '2026-02-30' })).toMatchObject({ filter: { from: undefined }, invalid: ['from'], rangeBackwards: false });
    expect(parseSessionFilters({ from: '2026-03-05', to: '2026-03-01' })).toMatchObject({
      filter: { from: '2026-03-05', to: undefined },
      invalid: ['to'],
      rangeBackwards: true,
    });
    expect(parseSessionFilters({ from: '2028-02-29', to: '2028-03-01' })).toMatchObject({ invalid: [], rangeBackwards: false });
  });

  it('Metrics: refuses a date that is no day, and says why a whole range was replaced by the last 30 days', () => {
    expect(parseMetricsQuery({ from: '2026-02-30', to: '2026-03-10' }, 'Asia/Shanghai', NOW)).toMatchObject({ invalid: ['from'], to: '2026-03-10' });
    const tooLong = parseMetricsQuery({ from: '2000-01-01', to: '2026-12-07' }, 'Asia/Shanghai', NOW);
    expect(tooLong).toMatchObject({ invalid: [], rangeRefused: 'tooLong', from: '2026-11-08', to: '2026-12-07' });
    expect(parseMetricsQuery({ from: '2026-12-05', to: '2026-12-01' }, 'Asia/Shanghai', NOW)).toMatchObject({ invalid: [], rangeRefused: 'backwards' });
    expect(parseMetricsQuery({}, 'Asia/Shanghai', NOW)).toMatchObject({ invalid: [], rangeRefused: undefined });
  });
});
