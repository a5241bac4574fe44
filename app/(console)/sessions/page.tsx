import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { InlineNotice } from '@/components/ui/notice';
import { currentDatabase } from '@/db/client';
import {
  COUNT_CAP,
  countSessionHistory,
  encodeCursor,
  listAgentChoices,
  listSessionHistory,
  REMARK_MATCH_CAP,
  remarkMatchesOverCap,
} from '@/db/queries/session-history';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { loadKfSettings } from '@/lib/kf/settings';
import { FilterForm } from './_components/filter-form';
import { linkButtonClass } from './_components/format';
import { SessionTable } from './_components/session-table';
import type { MessageKey } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';
import { parseSessionFilters, sessionsHref, type FilterField, type SearchParams } from './schemas';
import { titled } from '@/lib/i18n/metadata';

const FIELD_LABELS: Record<FilterField, MessageKey> = {
  from: 'sessions.from',
  to: 'sessions.to',
  agent: 'sessions.agent',
  status: 'sessions.status',
  openid: 'sessions.openid',
  follower: 'sessions.follower',
  waited: 'sessions.waited',
};

export const generateMetadata = titled('nav.sessions');

export default async function SessionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const { t, locale } = await getT();
  const db = currentDatabase().db;
  const parsed = parseSessionFilters(await searchParams);
  const timezone = (await loadKfSettings(db)).hours.timezone;
  const now = new Date();
  const context = { filter: parsed.filter, timezone, now };
  const follower = parsed.filter.follower;
  const [page, total, agents, overCap] = await Promise.all([
    listSessionHistory(db, { ...context, after: parsed.after, before: parsed.before }),
    countSessionHistory(db, context),
    listAgentChoices(db),
    follower ? remarkMatchesOverCap(db, follower) : false,
  ]);
  const filtered = Object.keys(parsed.query).length > 0;
  const number = new Intl.NumberFormat(intlLocale(locale));
  return (
    <>
      <PageHeader title={t('sessions.title')} intro={t('sessions.intro')}>
        <div className="flex flex-wrap gap-2">
          <a href={sessionsHref('/sessions/export', parsed.query)} download className={linkButtonClass} title={t('sessions.exportHint')}>
            {t('sessions.export')}
          </a>
          {parsed.filter.from && parsed.filter.to && (
            <a href={sessionsHref('/sessions/export', { from: parsed.query.from, to: parsed.query.to }) + '&kind=transcripts'} download className={linkButtonClass}>
              {t('sessions.exportTranscripts')}
            </a>
          )}
        </div>
      </PageHeader>
      <FilterForm t={t} query={parsed.query} agents={agents} />
      {parsed.invalid.length > 0 && (
        <InlineNotice tone="error" className="mb-4">
          {t('sessions.invalid', { fields: parsed.invalid.map((f) => t(FIELD_LABELS[f])).join(locale === 'zh' ? '、' : ', ') })}
          {parsed.rangeBackwards && ` ${t('sessions.rangeBackwards')}`}
        </InlineNotice>
      )}
      {follower && overCap && (
        <InlineNotice tone="info" className="mb-4">
          {t('sessions.remarkOverCap', { text: follower, cap: REMARK_MATCH_CAP })}
        </InlineNotice>
      )}
      <p className="mb-2 text-sm text-slate-600" data-testid="session-count">
        {total.capped ? t('sessions.countMore', { count: number.format(COUNT_CAP) }) : total.count === 1 ? t('sessions.countOne') : t('sessions.count', { count: number.format(total.count) })}
      </p>
      {page.rows.length === 0 ? (
        <EmptyState title={filtered ? t('sessions.empty') : t('sessions.emptyNone')}>{filtered ? t('sessions.emptyHint') : t('sessions.emptyNoneHint')}</EmptyState>
      ) : (
        <SessionTable t={t} locale={locale} timezone={timezone} rows={page.rows} now={now} nicknames={new Map(agents.map((a) => [a.kfAccount, a.nickname]))} />
      )}
      {(page.newer || page.older) && (
        <nav aria-label={t('sessions.pages')} className="mt-4 flex flex-wrap justify-end gap-2">
          {page.newer && (
            <>
              <Link href={sessionsHref('/sessions', parsed.query)} className={linkButtonClass}>
                {t('sessions.newest')}
              </Link>
              <Link href={sessionsHref('/sessions', parsed.query, { before: encodeCursor(page.newer) })} className={linkButtonClass} rel="prev">
                ← {t('sessions.newer')}
              </Link>
            </>
          )}
          {page.older && (
            <Link href={sessionsHref('/sessions', parsed.query, { after: encodeCursor(page.older) })} className={linkButtonClass} rel="next">
              {t('sessions.older')} →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
