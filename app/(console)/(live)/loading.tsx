import { getT } from '@/lib/i18n/server';

export default async function Loading() {
  const { t } = await getT();
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <p className="sr-only">{t('live.loading')}</p>
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="h-16 animate-pulse rounded-xl bg-slate-200" />
        ))}
      </div>
      <div className="h-40 animate-pulse rounded-xl bg-slate-200" />
    </div>
  );
}
