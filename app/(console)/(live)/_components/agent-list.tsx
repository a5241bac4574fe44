import { Badge } from '@/components/ui/badge';
import type { LiveAgent } from '@/db/queries/live-queue';
import type { Translate } from '@/lib/i18n/format';

/** Who is online and how many each is serving (our open sessions, current to the last event). */
export function AgentList({ agents, t }: { agents: LiveAgent[]; t: Translate }) {
  return (
    <section aria-labelledby="agents-heading">
      <h2 id="agents-heading" className="mb-3 text-base font-semibold">
        {t('live.agentsTitle')}
      </h2>
      {agents.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-500">{t('live.agentsEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
          {agents.map((agent) => (
            <li key={agent.kfAccount} className="flex items-center justify-between gap-3 px-4 py-3 text-sm" data-testid={`agent-${agent.kfAccount}`}>
              <div className="min-w-0">
                <p className="truncate font-medium">{agent.nickname}</p>
                <p className="truncate text-xs text-slate-500">{agent.kfAccount}</p>
              </div>
              <div className="flex shrink-0 items-center gap-2">
                <span className="text-xs text-slate-600 tabular-nums">
                  {t('live.load', { n: agent.activeChats })}
                </span>
                <Badge tone={agent.online ? 'success' : 'neutral'}>{t(agent.online ? 'live.online' : 'live.offline')}</Badge>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
