import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { Badge } from '@/components/ui/badge';
import { FollowerName } from '@/components/follower-name';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { LiveAgent, WaitingEntry } from '@/db/queries/live-queue';
import { Countdown, Elapsed } from './clock';
import { WaitingActions } from './waiting-actions';
import { timeOfDay, type LiveView } from './view';

export function WaitingTable({
  waiting,
  listed,
  showingAll,
  headOfLine,
  total,
  agents,
  ...view
}: {
  /** The rows shown: the head of the line, or all that were read (`listed`). */
  waiting: WaitingEntry[];
  listed: number;
  showingAll: boolean;
  /** How many are shown until staff ask for all. */
  headOfLine: number;
  /** Everyone waiting; more than `listed` when the line is longer than one read. */
  total: number;
  agents: LiveAgent[];
} & LiveView) {
  const { t, locale, serverNow } = view;
  const online = agents.filter((a) => a.online);
  // An online agent with nobody in hand could take this follower now: they wait for an accept.
  const someoneFree = online.some((a) => a.activeChats === 0);
  const nickname = (kfAccount: string) => agents.find((a) => a.kfAccount === kfAccount)?.nickname ?? kfAccount;
  const reason = (entry: WaitingEntry) => {
    if (entry.kfAccount) return <Badge wrap tone="info">{t('live.reasonPinned', { agent: nickname(entry.kfAccount) })}</Badge>;
    if (online.length === 0) return <Badge wrap tone="danger">{t('live.reasonNoAgent')}</Badge>;
    return someoneFree ? <Badge wrap tone="neutral">{t('live.reasonNotAccepted')}</Badge> : <Badge wrap tone="warning">{t('live.reasonAllBusy')}</Badge>;
  };
  return (
    <section aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" className="mb-3 text-base font-semibold">
        {t('live.waitingTitle')}
      </h2>
      {waiting.length === 0 ? (
        <EmptyState title={t('live.waitingEmpty')}>{t('live.waitingEmptyBody')}</EmptyState>
      ) : (
        <Table label={t('live.waitingTitle')}>
          <THead>
            <Tr>
              <Th>{t('live.position')}</Th>
              <Th>{t('live.follower')}</Th>
              <Th>{t('live.waited')}</Th>
              <Th>{t('live.lastMessage')}</Th>
              <Th>{t('live.expiresIn')}</Th>
              <Th>{t('live.reason')}</Th>
              <Th>{t('live.actions')}</Th>
            </Tr>
          </THead>
          <TBody>
            {waiting.map((entry, index) => (
              <Tr key={entry.sessionId} data-testid={`waiting-${entry.openid}`}>
                <Td label={t('live.position')} className="tabular-nums font-medium">
                  {index + 1}
                </Td>
                <Td label={t('live.follower')}>
                  <FollowerName remark={entry.remark} openid={entry.openid} />
                </Td>
                <Td label={t('live.waited')} className="tabular-nums whitespace-nowrap">
                  <Elapsed from={entry.queuedAt.toISOString()} serverNow={serverNow} locale={locale} />
                </Td>
                <Td label={t('live.lastMessage')} className="tabular-nums whitespace-nowrap text-slate-600">
                  {entry.lastMessageAt ? timeOfDay(entry.lastMessageAt, view) : '—'}
                </Td>
                <Td label={t('live.expiresIn')} className="tabular-nums whitespace-nowrap">
                  {entry.waitExpiresAt ? <Countdown until={entry.waitExpiresAt.toISOString()} serverNow={serverNow} locale={locale} /> : '—'}
                </Td>
                <Td label={t('live.reason')}>
                  <div>{reason(entry)}</div>
                </Td>
                <Td label={t('live.actions')}>
                  <WaitingActions entry={entry} agents={agents} t={t} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {(listed > waiting.length || (showingAll && listed > headOfLine)) && (
        // One link whose words and address change, not two: the browser keeps the focus on it as
        // the list grows or shrinks beneath.
        <p className="mt-2 text-sm">
          <Link href={showingAll ? '/' : '/?waiting=all'} scroll={false} className="font-medium text-brand-700 underline-offset-2 hover:underline" data-testid="show-all-waiting">
            {showingAll ? t('live.showHeadOfLine', { n: headOfLine }) : t('live.showAllWaiting', { n: listed })}
          </Link>
        </p>
      )}
      {total > listed && (
        <p className="mt-2 text-sm text-slate-500">
          {t('live.moreWaiting', { n: total - listed })}{' '}
          {/* The whole queue, paged by key, in session history. */}
          <Link href="/sessions?status=waiting" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            {t('live.seeAllWaiting')}
          </Link>
        </p>
      )}
    </section>
  );
}
