import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { HistoryStatus } from '@/db/queries/session-history';
import type { SessionEndReason } from '@/db/queries/session-rules';
import type { MessageKey, Translate } from '@/lib/i18n/format';

const tones: Record<HistoryStatus, BadgeTone> = { waiting: 'warning', active: 'info', closed: 'neutral', expired: 'danger', dropped: 'danger' };

// Every way a session ends has its words: a new reason does not compile without them.
const reasons: Record<SessionEndReason, MessageKey> = {
  agent_closed: 'sessions.reason.agent_closed',
  wait_expired: 'sessions.reason.wait_expired',
  dropped_by_staff: 'sessions.reason.dropped_by_staff',
  closed_by_staff: 'sessions.reason.closed_by_staff',
  closed_in_wechat: 'sessions.reason.closed_in_wechat',
  follower_left: 'sessions.reason.follower_left',
};

export function StatusBadge({ t, status, endReason }: { t: Translate; status: HistoryStatus; endReason?: string | null }) {
  const label = t(`sessions.status.${status}`);
  const reason = endReason && Object.hasOwn(reasons, endReason) ? t(reasons[endReason as SessionEndReason]) : undefined;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tones[status]}>{label}</Badge>
      {/* Not when it says what the badge says (等待超时 is both the status and its reason). */}
      {reason && reason !== label && <span className="text-xs text-slate-500">{reason}</span>}
    </span>
  );
}
