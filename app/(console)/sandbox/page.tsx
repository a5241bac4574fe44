import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';

export default async function Page() {
  await requireUser();
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t('sandbox.title')} />
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-500">{t('page.comingSoon')}</p>
    </>
  );
}
