import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { InlineNotice } from '@/components/ui/notice';
import { currentDatabase } from '@/db/client';
import { requireUser } from '@/lib/auth/session';
import { loadKfSettings } from '@/lib/kf/settings';
import { getT } from '@/lib/i18n/server';
import { readLiveQueueShared } from '@/lib/live/shared-read';
import { DAY, wallClock } from '@/lib/service-hours/clock';
import { ActiveSessions } from './_components/active-sessions';
import { AgentList } from './_components/agent-list';
import { Counters } from './_components/counters';
import { LiveUpdates } from './_components/live-updates';
import { WaitingAlerts } from './_components/waiting-alerts';
import { WaitingTable } from './_components/waiting-table';
import { titled } from '@/lib/i18n/metadata';

// Rendered per request and refetched by LiveUpdates whenever /api/live says something changed.
export const generateMetadata = titled('nav.queue');

/**
 * Followers listed before "show all": the head of the line is what staff act on, and a long queue
 * listed whole pushed the sessions in progress and the agents thousands of pixels down.
 */
const WAITING_SHOWN = 20;

export default async function LivePage({ searchParams }: { searchParams: Promise<{ denied?: string; waiting?: string }> }) {
  await requireUser();
  const { t, locale } = await getT();
  const { denied, waiting: waitingParam } = await searchParams;
  const showAllWaiting = waitingParam === 'all';
  const database = currentDatabase();
  const now = new Date();
  const settings = await loadKfSettings(database.db, now.getTime());
  // "Today" is the service's day, in its time zone, not the server's.
  const startOfToday = new Date(now.getTime() - (wallClock(now.getTime(), settings.hours.timezone) % DAY));
  const live = await readLiveQueueShared(database, { now, startOfToday });
  const view = { t, locale, serverNow: now.getTime(), timezone: settings.hours.timezone };
  return (
    <>
      {denied && (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {t('shell.denied')}
        </p>
      )}
      <PageHeader title={t('queue.title')} intro={t('live.intro')}>
        <div className="flex flex-wrap items-center gap-4">
          <WaitingAlerts
            waiting={live.counters.waiting}
            labels={{ on: t('live.alertsOn'), off: t('live.alertsOff'), denied: t('live.alertsDenied'), title: t('live.alertTitle'), body: t('live.alertBody') }}
          />
          <LiveUpdates labels={{ connecting: t('live.connecting'), open: t('live.connected'), lost: t('live.reconnecting') }} waiting={live.counters.waiting} />
        </div>
      </PageHeader>
      {live.agents.length > 0 && !live.agents.some((agent) => agent.alertable) && (
        <InlineNotice tone="warning" className="mb-4">
          {t('live.noAlertable')}{' '}
          <Link href="/agents" className="font-medium underline">
            {t('live.noAlertableLink')}
          </Link>
        </InlineNotice>
      )}
      <Counters counters={live.counters} {...view} />
      <WaitingTable
        waiting={showAllWaiting ? live.waiting : live.waiting.slice(0, WAITING_SHOWN)}
        listed={live.waiting.length}
        showingAll={showAllWaiting}
        headOfLine={WAITING_SHOWN}
        total={live.counters.waiting}
        agents={live.agents}
        {...view}
      />
      <div className="mt-8 grid gap-8 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ActiveSessions active={live.active} total={live.counters.active} agents={live.agents} {...view} />
        </div>
        <AgentList agents={live.agents} t={t} />
      </div>
    </>
  );
}
