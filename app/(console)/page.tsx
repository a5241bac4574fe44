import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';

export default async function LiveQueuePage({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  await requireUser();
  const { t } = await getT();
  const { denied } = await searchParams;
  return (
    <>
      {denied && (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {t('shell.denied')}
        </p>
      )}
      <PageHeader title={t('queue.title')} intro={t('queue.intro')} />
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-500">{t('page.comingSoon')}</p>
    </>
  );
}
