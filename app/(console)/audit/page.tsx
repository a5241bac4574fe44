import { PageHeader } from '@/components/page-header';
import { currentDatabase } from '@/db/client';
import { listAudit } from '@/db/queries/audit-log';
import { requireRole } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';

export default async function AuditPage() {
  await requireRole('admin');
  const { t, locale } = await getT();
  const rows = await listAudit(currentDatabase().db, { limit: 200 });
  const when = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <>
      <PageHeader title={t('audit.title')} />
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t('audit.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">{t('audit.when')}</th>
                <th className="px-3 py-2 font-medium">{t('audit.who')}</th>
                <th className="px-3 py-2 font-medium">{t('audit.action')}</th>
                <th className="px-3 py-2 font-medium">{t('audit.target')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="border-t border-slate-100">
                  <td className="px-3 py-2 whitespace-nowrap">{when.format(row.createdAt)}</td>
                  <td className="px-3 py-2">{row.userEmail ?? '—'}</td>
                  <td className="px-3 py-2 font-mono text-xs">{row.action}</td>
                  <td className="px-3 py-2">{[row.target, row.detail].filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
