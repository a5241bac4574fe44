import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { getT } from '@/lib/i18n/server';

// A session number that does not exist (a mistyped or old link): said inside the console, with the
// way back to the list, rather than the bare page for unknown addresses.
export default async function SessionNotFound() {
  const { t } = await getT();
  return (
    <>
      <Link href="/sessions" className="mb-2 inline-block text-sm text-brand-700 hover:underline">
        ← {t('session.back')}
      </Link>
      <PageHeader title={t('notFound.title')} />
      <p className="text-sm text-slate-600">{t('session.notFound')}</p>
    </>
  );
}
