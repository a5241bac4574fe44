import Link from 'next/link';
import { followerLabel, FollowerName } from '@/components/follower-name';
import { ConfirmDialog } from '@/components/ui/action-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { ActiveEntry, LiveAgent } from '@/db/queries/live-queue';
import { closeSessionAction } from '../actions';
import { Elapsed } from './clock';
import { timeOfDay, type LiveView } from './view';

/** Sessions in progress, one table per agent. */
export function ActiveSessions({ active, total, agents, ...view }: { active: ActiveEntry[]; total: number; agents: LiveAgent[] } & LiveView) {
  const { t } = view;
  const groups = new Map<string, ActiveEntry[]>();
  for (const entry of active) {
    const key = entry.kfAccount ?? '';
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return (
    <section aria-labelledby="active-heading">
      <h2 id="active-heading" className="mb-3 text-base font-semibold">
        {t('live.activeTitle')}
      </h2>
      {active.length === 0 ? (
        <EmptyState title={t('live.activeEmpty')}>{t('live.activeEmptyBody')}</EmptyState>
      ) : (
        <div className="space-y-6">
          {[...groups].map(([kfAccount, entries]) => {
            const agent = agents.find((a) => a.kfAccount === kfAccount);
            const name = agent?.nickname ?? (kfAccount || t('live.unknownAgent'));
            return (
              <div key={kfAccount} data-testid={`agent-sessions-${kfAccount}`}>
                <h3 className="mb-2 text-sm font-medium text-slate-700">
                  {name} <span className="font-normal text-slate-500">· {t('live.load', { n: entries.length })}</span>
                </h3>
                <AgentSessions entries={entries} name={name} {...view} />
              </div>
            );
          })}
        </div>
      )}
      {total > active.length && (
        <p className="mt-2 text-sm text-slate-500">
          {t('live.moreActive', { n: total - active.length })}{' '}
          <Link href="/sessions?status=active" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            {t('live.seeAllActive')}
          </Link>
        </p>
      )}
    </section>
  );
}

function AgentSessions({ entries, name, ...view }: { entries: ActiveEntry[]; name: string } & LiveView) {
  const { t, locale, serverNow } = view;
  const dialog = { cancelLabel: t('common.cancel'), closeLabel: t('common.close') };
  return (
    <Table label={`${t('live.activeTitle')} · ${name}`}>
      <THead>
        <Tr>
          <Th>{t('live.follower')}</Th>
          <Th>{t('live.since')}</Th>
          <Th>{t('live.lastActivity')}</Th>
          <Th>{t('live.actions')}</Th>
        </Tr>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <Tr key={entry.sessionId} data-testid={`active-${entry.openid}`}>
            <Td label={t('live.follower')}>
              <FollowerName remark={entry.remark} openid={entry.openid} />
            </Td>
            <Td label={t('live.since')} className="tabular-nums whitespace-nowrap">
              {entry.startedAt ? (
                <span>
                  {timeOfDay(entry.startedAt, view)}{' '}
                  <span className="text-slate-500">
                    (<Elapsed from={entry.startedAt.toISOString()} serverNow={serverNow} locale={locale} />)
                  </span>
                </span>
              ) : (
                '—'
              )}
            </Td>
            {/* What the account itself last received: once an agent holds the chat, WeChat gives its
                messages to the agent's tool, so this says when wekf last heard from them, not the chat's pace. */}
            <Td label={t('live.lastActivity')} className="tabular-nums whitespace-nowrap text-slate-600">
              {entry.lastMessageAt ? timeOfDay(entry.lastMessageAt, view) : '—'}
            </Td>
            <Td label={t('live.actions')}>
              <ConfirmDialog
                action={closeSessionAction}
                triggerLabel={t('live.close')}
                triggerVariant="secondary"
                title={t('live.closeTitle', { follower: followerLabel(entry) })}
                description={t('live.closeBody')}
                submitLabel={t('live.close')}
                {...dialog}
              >
                <input type="hidden" name="sessionId" value={entry.sessionId} />
              </ConfirmDialog>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
