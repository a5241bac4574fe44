import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/auth/session';
import type { MessageKey } from '@/lib/i18n/format';
import { getT } from '@/lib/i18n/server';

/** A signed-in page whose feature arrives in a later release: its title and an honest note. */
export async function ComingSoonPage({ titleKey }: { titleKey: MessageKey }) {
  await requireUser();
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t(titleKey)} />
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-500">{t('page.comingSoon')}</p>
    </>
  );
}
