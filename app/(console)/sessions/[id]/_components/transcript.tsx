import { EmptyState } from '@/components/ui/empty-state';
import type { TranscriptLine } from '@/db/queries/session-timeline';
import type { HistoryStatus } from '@/db/queries/session-history';
import type { Translate } from '@/lib/i18n/format';
import { cx } from '@/components/ui/styles';

// opercode 2002: the agent sent it; 2003: the agent received it (from the follower).
const AGENT_SENT = 2002;

export function Transcript(props: {
  t: Translate;
  lines: TranscriptLine[];
  when: Intl.DateTimeFormat;
  status: HistoryStatus;
  arriving: boolean;
  everyMinutes: number;
  agentName: (kfAccount: string) => string;
}) {
  const { t, lines, when, agentName } = props;
  if (lines.length === 0) return <EmptyState title={emptyText(props)} />;
  return (
    <ol className="space-y-2 rounded-xl border border-slate-200 bg-slate-50 p-3" data-testid="transcript" aria-label={t('session.transcript')}>
      {lines.map((line) => {
        const agent = line.opercode === AGENT_SENT;
        return (
          <li key={line.id} className={cx('flex', agent ? 'justify-end' : 'justify-start')}>
            <div className={cx('max-w-[85%] rounded-2xl px-3 py-2 text-sm shadow-xs', agent ? 'bg-brand-700 text-white' : 'bg-white text-slate-900 ring-1 ring-slate-200')}>
              <p className={cx('mb-0.5 text-xs', agent ? 'text-white/80' : 'text-slate-500')}>
                {agent ? t('session.agentLine', { agent: line.kfAccount ? agentName(line.kfAccount) : '—' }) : t('session.followerLine')} · <time dateTime={line.sentAt.toISOString()}>{when.format(line.sentAt)}</time>
              </p>
              <p className="break-words whitespace-pre-wrap">{line.text}</p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Why a session shows no lines yet, or never will. */
function emptyText({ t, status, arriving, everyMinutes: minutes }: { t: Translate; status: HistoryStatus; arriving: boolean; everyMinutes: number }): string {
  if (status === 'waiting') return t('session.transcriptWaiting');
  if (status === 'active') return t('session.transcriptActive', { minutes });
  // Expired or dropped from the line: no agent accepted, so WeChat has no chat to give.
  if (status === 'expired' || status === 'dropped') return t('session.transcriptNeverServed');
  return arriving ? t('session.transcriptArriving', { minutes }) : t('session.transcriptEmpty');
}
