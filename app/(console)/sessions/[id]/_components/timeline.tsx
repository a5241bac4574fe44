import { cx } from '@/components/ui/styles';
import type { Translate } from '@/lib/i18n/format';
import type { TimelineEntry } from '@/lib/kf/session-timeline';

function describe(t: Translate, e: TimelineEntry, agentName: (kfAccount: string) => string): string {
  const agent = (kfAccount: string | null | undefined) => (kfAccount ? agentName(kfAccount) : '—');
  switch (e.kind) {
    case 'queued':
      return t('session.ev.queued', { position: e.position });
    case 'opened':
      return t('session.ev.opened', { by: agent(e.by) });
    case 'alert':
      return t('session.ev.alert', { to: e.to });
    case 'accepted':
      return t('session.ev.accepted', { by: agent(e.by) });
    case 'switched':
      return t('session.ev.switched', { from: agent(e.from), to: agent(e.to) });
    case 'assigned':
      return t('session.ev.assigned', { staff: e.staff || t('session.ev.someStaff'), to: agent(e.to) });
    case 'closed':
      if (e.staff !== undefined) return t('session.ev.closedByStaff', { staff: e.staff || t('session.ev.someStaff'), by: agent(e.by) });
      return t('session.ev.closed', { by: agent(e.by) });
    case 'expired':
      return t('session.ev.expired');
    case 'dropped':
      if (e.staff !== undefined) return t('session.ev.droppedByStaff', { staff: e.staff || t('session.ev.someStaff') });
      return t('session.ev.dropped');
    case 'unfollowed':
      return t('session.ev.unfollowed');
    case 'waitEnded':
      if (e.reason === 'dropped_by_staff') return t('session.ev.droppedStillWaiting', { staff: e.staff || t('session.ev.someStaff') });
      return t('session.ev.expiredStillWaiting');
    case 'corrected':
      return t('session.ev.corrected', { detail: e.detail ? Object.entries(e.detail).map(([k, v]) => `${k}: ${String(v)}`).join(', ') : '—' });
  }
}

export function Timeline({ t, entries, when, agentName }: { t: Translate; entries: TimelineEntry[]; when: Intl.DateTimeFormat; agentName: (kfAccount: string) => string }) {
  return (
    <ol className="relative space-y-3 border-l border-slate-200 pl-5" data-testid="timeline">
      {entries.map((e, i) => (
        <li key={i} className="relative">
          <span aria-hidden className="absolute top-1.5 -left-[25px] h-2.5 w-2.5 rounded-full bg-brand-700 ring-4 ring-white" />
          <p className="text-sm text-slate-900">
            {describe(t, e, agentName)}
            {e.kind === 'alert' && e.status !== 'sent' && (
              <span className={cx('ml-2 text-xs', e.status === 'failed' ? 'text-red-700' : 'text-slate-500')}>
                {t(`session.out.${e.status as 'failed'}`)}
                {e.errcode !== null && ` · ${t('session.errcode', { code: e.errcode })}`}
              </span>
            )}
          </p>
          <p className="text-xs text-slate-500">
            <time dateTime={e.at.toISOString()}>{when.format(e.at)}</time>
          </p>
        </li>
      ))}
    </ol>
  );
}
