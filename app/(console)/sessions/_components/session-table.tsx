import Link from 'next/link';
import { FollowerName } from '@/components/follower-name';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { SessionHistoryRow } from '@/db/queries/session-history';
import type { Locale, Translate } from '@/lib/i18n/format';
import { dateTimeFormat, durationText } from './format';
import { StatusBadge } from './status-badge';

export function SessionTable({
  t,
  locale,
  timezone,
  rows,
  now,
  nicknames,
}: {
  t: Translate;
  locale: Locale;
  timezone: string;
  rows: SessionHistoryRow[];
  now: Date;
  /** kf_account → nickname, so every agent a session passed through is named alike. */
  nicknames: ReadonlyMap<string, string>;
}) {
  const when = dateTimeFormat(locale, timezone);
  return (
    <Table label={t('sessions.title')}>
      <THead>
        <Tr>
          <Th>{t('sessions.colFollower')}</Th>
          <Th>{t('sessions.colQueued')}</Th>
          <Th>{t('sessions.colWaited')}</Th>
          <Th>{t('sessions.colAgents')}</Th>
          <Th>{t('sessions.colHandled')}</Th>
          <Th>{t('sessions.colStatus')}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((row) => {
          const waitedUntil = row.startedAt ?? row.endedAt ?? now;
          const switchedFrom = (row.switchedFrom ? row.switchedFrom.split(',') : []).map((account) => nicknames.get(account) ?? account);
          const agentsText = [...switchedFrom, row.agentNickname ?? row.kfAccount].filter(Boolean).join(' → ');
          return (
            <Tr key={row.id} data-testid={`session-${row.id}`}>
              <Td label={t('sessions.colFollower')}>
                <Link href={`/sessions/${row.id}`} className="text-brand-700 hover:underline">
                  <FollowerName remark={row.remark} openid={row.openid} />
                </Link>
              </Td>
              <Td label={t('sessions.colQueued')} className="whitespace-nowrap">
                {when.format(row.queuedAt)}
              </Td>
              <Td label={t('sessions.colWaited')} className="whitespace-nowrap">
                {durationText(t, row.queuedAt, waitedUntil)}
                {!row.startedAt && !row.endedAt && <span className="ml-1 text-xs text-slate-500">{t('sessions.stillWaitingNote')}</span>}
              </Td>
              <Td label={t('sessions.colAgents')}>{agentsText || '—'}</Td>
              <Td label={t('sessions.colHandled')} className="whitespace-nowrap">
                {row.startedAt ? durationText(t, row.startedAt, row.endedAt ?? now) : '—'}
              </Td>
              <Td label={t('sessions.colStatus')}>
                <StatusBadge t={t} status={row.status} endReason={row.endReason} />
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
