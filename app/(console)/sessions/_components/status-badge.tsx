import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { HistoryStatus } from '@/db/queries/session-history';
import type { MessageKey, Translate } from '@/lib/i18n/format';

const tones: Record<HistoryStatus, BadgeTone> = { waiting: 'warning', active: 'info', closed: 'neutral', expired: 'danger', dropped: 'danger' };

export function StatusBadge({ t, status, endReason }: { t: Translate; status: HistoryStatus; endReason?: string | null }) {
  const reasonKey = endReason ? (`sessions.reason.${endReason}` as MessageKey) : undefined;
  const reason = reasonKey ? t(reasonKey) : undefined;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tones[status]}>{t(`sessions.status.${status}`)}</Badge>
      {reason && reason !== reasonKey && <span className="text-xs text-slate-500">{reason}</span>}
    </span>
  );
}
