// /audit — every console change and sign-in: who, what (settings as a readable diff), when in the
// service's zone, from which address. Filters in the URL; keyset pages; CSV of the filtered log.
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { InlineNotice } from '@/components/ui/notice';
import { Select } from '@/components/ui/select';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { Button } from '@/components/ui/button';
import { cx, focusRing } from '@/components/ui/styles';
import { currentDatabase } from '@/db/client';
import type { AuditChanges } from '@/db/queries/audit-log';
import { listAgents } from '@/db/queries/agents';
import { listUsers } from '@/db/queries/users';
import { auditQuery, cursorParam, parseAuditFilters } from '@/lib/audit/filters';
import { actionLabel, AUDIT_KINDS, detailText, kindLabel } from '@/lib/audit/labels';
import { auditPage } from '@/lib/audit/list';
import { formatAuditTime } from '@/lib/audit/time';
import { requireRole } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import type { MessageKey, Translate } from '@/lib/i18n/format';
import { loadKfSettings } from '@/lib/kf/settings';
import { Changes } from './_components/changes';
import { titled } from '@/lib/i18n/metadata';

const linkButton = cx(
  'inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-xs hover:bg-slate-50',
  focusRing,
);

export const generateMetadata = titled('nav.audit');

/** A row's target as the page shows it: a session as a link to its page, an agent with their nickname, anything else as written. */
function auditTarget(target: string, t: Translate, agentName: (kfAccount: string) => string | undefined) {
  const nickname = agentName(target);
  if (nickname) return `${nickname} (${target})`;
  const session = /^session:(\d+)$/.exec(target);
  if (!session) return target;
  return (
    <Link href={`/sessions/${session[1]}`} className="text-brand-700 hover:underline">
      {t('session.title', { id: session[1]! })}
    </Link>
  );
}

// A refused filter is named as its field is labelled (the page cursor, `before`, as the paging).
const FILTER_LABELS: Record<string, MessageKey> = {
  user: 'audit.person',
  kind: 'audit.kind',
  from: 'audit.from',
  to: 'audit.to',
  before: 'audit.pages',
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireRole('admin');
  const { t, locale } = await getT();
  const db = currentDatabase().db;
  const { filters, invalid, swapped } = parseAuditFilters(await searchParams);
  const timezone = (await loadKfSettings(db)).hours.timezone;
  const [people, agents] = await Promise.all([listUsers(db), listAgents(db)]);
  const nicknames = new Map(agents.map((a) => [a.kfAccount, a.nickname]));
  const agentName = (kfAccount: string) => nicknames.get(kfAccount) || undefined;
  // Someone the field cannot show (no such user): named as ignored, rather than an empty list under "anyone".
  if (filters.user !== undefined && !people.some((p) => p.id === filters.user)) {
    delete filters.user;
    invalid.unshift('user');
  }
  const { rows, hasOlder } = await auditPage(db, filters, timezone);
  const filtered = filters.user !== undefined || filters.kind || filters.from || filters.to;
  const exportHref = `/audit/export${auditQuery(filters)}`;
  return (
    <>
      <PageHeader title={t('audit.title')} intro={t('audit.intro', { timezone })}>
        <a href={exportHref} className={linkButton} download>
          {t('audit.export')}
        </a>
      </PageHeader>
      <form method="get" className="mb-6 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]" aria-label={t('audit.filters')}>
        <Field label={t('audit.person')}>
          <Select name="user" defaultValue={filters.user === undefined ? '' : String(filters.user)}>
            <option value="">{t('audit.anyone')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email})
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('audit.kind')}>
          <Select name="kind" defaultValue={filters.kind ?? ''}>
            <option value="">{t('audit.anyKind')}</option>
            {Object.keys(AUDIT_KINDS).map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(kind, locale)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('audit.from')}>
          <Input type="date" name="from" defaultValue={filters.from ?? ''} />
        </Field>
        <Field label={t('audit.to')}>
          <Input type="date" name="to" defaultValue={filters.to ?? ''} />
        </Field>
        <div className="flex items-end gap-2">
          <Button type="submit">{t('audit.apply')}</Button>
          {filtered && (
            <Link href="/audit" className="px-2 py-2 text-sm text-brand-700 hover:underline">
              {t('audit.clear')}
            </Link>
          )}
        </div>
      </form>
      {invalid.length > 0 && (
        <InlineNotice tone="error" className="mb-4">
          {t('audit.badFilter', { names: invalid.map((name) => t(FILTER_LABELS[name] ?? 'audit.pages')).join(locale === 'zh' ? '、' : ', ') })}
        </InlineNotice>
      )}
      {swapped && (
        <InlineNotice tone="info" className="mb-4">
          {t('audit.rangeSwapped')}
        </InlineNotice>
      )}
      {rows.length === 0 ? (
        <EmptyState title={t(filtered || filters.before ? 'audit.noMatch' : 'audit.empty')} />
      ) : (
        <Table label={t('audit.title')}>
          <THead>
            <Tr>
              <Th>{t('audit.when')}</Th>
              <Th>{t('audit.who')}</Th>
              <Th>{t('audit.action')}</Th>
              <Th>{t('audit.ip')}</Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((row) => (
              <Tr key={row.id} data-testid="audit-row">
                <Td label={t('audit.when')} className="whitespace-nowrap text-slate-600">
                  <time dateTime={row.createdAt.toISOString()}>{formatAuditTime(row.createdAt, timezone, locale)}</time>
                </Td>
                <Td label={t('audit.who')}>
                  <div className="min-w-0">
                    {row.userName ? (
                      <>
                        <p className="font-medium">{row.userName}</p>
                        <p className="break-words text-xs text-slate-500">{row.userEmail}</p>
                      </>
                    ) : (
                      <p className="text-slate-500">{t('audit.nobody')}</p>
                    )}
                  </div>
                </Td>
                <Td label={t('audit.action')}>
                  <div className="min-w-0">
                    <p>
                      {actionLabel(row.action, locale)}
                      {row.target && <span className="break-words text-slate-500"> · {auditTarget(row.target, t, agentName)}</span>}
                    </p>
                    {row.detail && <p className="text-xs break-words text-slate-500">{detailText(row.detail, locale, { agentName })}</p>}
                    {row.changes != null && <Changes changes={row.changes as AuditChanges} t={t} />}
                  </div>
                </Td>
                <Td label={t('audit.ip')} className="font-mono text-xs whitespace-nowrap text-slate-600">
                  <div>{row.ip ?? '—'}</div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <nav aria-label={t('audit.pages')} className="mt-4 flex flex-wrap justify-between gap-3 text-sm">
        {filters.before ? (
          <Link href={`/audit${auditQuery(filters)}`} className="text-brand-700 hover:underline">
            {t('audit.newest')}
          </Link>
        ) : (
          <span />
        )}
        {hasOlder && (
          <Link href={`/audit${auditQuery(filters, { before: cursorParam(rows.at(-1)!) })}`} className="text-brand-700 hover:underline" rel="next">
            {t('audit.older')}
          </Link>
        )}
      </nav>
    </>
  );
}
