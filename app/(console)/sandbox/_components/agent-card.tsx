import { ActionForm } from '@/components/action-form';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { Translate } from '@/lib/i18n/format';
import { agentAcceptAction, agentAcceptInviteAction, agentCloseAction, agentOnlineAction, agentReplyAction, agentSwitchAction } from '../actions';

export interface AgentView {
  kfAccount: string;
  nickname: string;
  online: boolean;
  /** Invited and not yet accepted in WeChat: all this agent can do is accept. */
  invited: boolean;
  sessions: { openid: string; name: string }[];
}

export function AgentCard({ agent, others, t }: { agent: AgentView; others: AgentView[]; t: Translate }) {
  const kf = <input type="hidden" name="kfAccount" value={agent.kfAccount} />;
  return (
    <article aria-label={agent.nickname} data-testid={`sandbox-agent-${agent.nickname}`} className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-sm font-semibold">{agent.nickname}</h3>
          <p className="truncate text-xs text-slate-500">{agent.kfAccount}</p>
        </div>
        <Badge tone={agent.online ? 'success' : 'neutral'}>{t(agent.online ? 'live.online' : 'live.offline')}</Badge>
      </header>
      {agent.invited ? (
        <ActionForm action={agentAcceptInviteAction} submitLabel={`${agent.nickname} · ${t('sandbox.acceptInvite')}`} submitVariant="primary">
          {kf}
        </ActionForm>
      ) : (
        <div className="flex flex-wrap gap-2">
          <ActionForm action={agentOnlineAction} submitLabel={`${agent.nickname} · ${t(agent.online ? 'sandbox.goOffline' : 'sandbox.goOnline')}`}>
            {kf}
            <input type="hidden" name="online" value={agent.online ? 'false' : 'true'} />
          </ActionForm>
          <ActionForm action={agentAcceptAction} submitLabel={`${agent.nickname} · ${t('sandbox.acceptNext')}`} submitVariant="primary">
            {kf}
          </ActionForm>
        </div>
      )}
      {agent.sessions.length > 0 && (
        <ul className="mt-3 space-y-3" aria-label={`${agent.nickname} · ${t('sandbox.serving')}`}>
          {agent.sessions.map((session) => (
            <li key={session.openid} className="rounded-xl bg-slate-50 p-3">
              <p className="mb-2 text-sm">
                {t('sandbox.serving')}: <span className="font-medium">{session.name}</span>
              </p>
              <ActionForm action={agentReplyAction} submitLabel={t('sandbox.reply')} keep={['text']} noValidate>
                {kf}
                <input type="hidden" name="openid" value={session.openid} />
                <Field label={t('sandbox.replyAs', { agent: agent.nickname })} labelHidden name="text" className="min-w-0 flex-1">
                  <Input name="text" controlSize="sm" placeholder={t('sandbox.replyAs', { agent: agent.nickname })} autoComplete="off" />
                </Field>
              </ActionForm>
              <div className="mt-2 flex flex-wrap gap-2">
                {others
                  .filter((o) => o.online)
                  .map((other) => (
                    <ActionForm key={other.kfAccount} action={agentSwitchAction} submitLabel={t('sandbox.switchTo', { agent: other.nickname })}>
                      {kf}
                      <input type="hidden" name="openid" value={session.openid} />
                      <input type="hidden" name="to" value={other.kfAccount} />
                    </ActionForm>
                  ))}
                <ActionForm action={agentCloseAction} submitLabel={`${t('sandbox.close')} · ${session.name}`} submitVariant="danger">
                  {kf}
                  <input type="hidden" name="openid" value={session.openid} />
                </ActionForm>
              </div>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
