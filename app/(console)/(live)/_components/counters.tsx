import type { LiveCounters } from '@/db/queries/live-queue';
import { Elapsed } from './clock';
import type { LiveView } from './view';

export function Counters({ counters, t, locale, serverNow }: { counters: LiveCounters } & LiveView) {
  const items = [
    { label: t('live.waitingCount'), value: counters.waiting, testId: 'count-waiting' },
    { label: t('live.activeCount'), value: counters.active, testId: 'count-active' },
    {
      label: t('live.longestWait'),
      value: counters.oldestQueuedAt ? <Elapsed from={counters.oldestQueuedAt.toISOString()} serverNow={serverNow} locale={locale} /> : '—',
      testId: 'count-longest',
    },
    { label: t('live.servedToday'), value: counters.servedToday, testId: 'count-served' },
    { label: t('live.expiredToday'), value: counters.expiredToday, testId: 'count-expired' },
  ];
  return (
    <section aria-label={t('live.summary')} className="mb-8">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {items.map((item) => (
          <div key={item.testId} className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <dt className="text-xs text-slate-500">{item.label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={item.testId}>
              {item.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
