import { followerLabel } from '@/components/follower-name';
import { ActionDialog, ConfirmDialog } from '@/components/ui/action-dialog';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import type { LiveAgent, WaitingEntry } from '@/db/queries/live-queue';
import type { Translate } from '@/lib/i18n/format';
import { assignAction, dropAction } from '../actions';

export function WaitingActions({ entry, agents, t }: { entry: WaitingEntry; agents: LiveAgent[]; t: Translate }) {
  const sessionId = <input type="hidden" name="sessionId" value={entry.sessionId} />;
  const dialog = { cancelLabel: t('common.cancel'), closeLabel: t('common.close') };
  const follower = followerLabel(entry);
  // Online agents first, the least busy leading (and chosen unless the follower asked for someone);
  // an offline one may still be chosen, and WeChat's refusal is then shown.
  const choices = [...agents].sort((a, b) => Number(b.online) - Number(a.online) || a.activeChats - b.activeChats);
  const preferred = entry.kfAccount ?? choices.find((a) => a.online)?.kfAccount;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <ActionDialog
        action={assignAction}
        triggerLabel={t('live.assign')}
        triggerVariant="primary"
        title={t('live.assignTitle', { follower })}
        description={t('live.assignBody')}
        submitLabel={t('live.assign')}
        keep={['kfAccount']}
        {...dialog}
      >
        {sessionId}
        {!choices.some((a) => a.online) && <p className="text-sm text-amber-800">{t('live.noOnlineAgent')}</p>}
        <Field label={t('live.assignAgent')} name="kfAccount">
          <Select name="kfAccount" defaultValue={preferred} required>
            {choices.map((agent) => (
              <option key={agent.kfAccount} value={agent.kfAccount}>
                {agent.nickname} · {t(agent.online ? 'live.online' : 'live.offline')} · {t('live.load', { n: agent.activeChats })}
              </option>
            ))}
          </Select>
        </Field>
      </ActionDialog>
      <ConfirmDialog
        action={dropAction}
        triggerLabel={t('live.drop')}
        triggerVariant="secondary"
        title={t('live.dropTitle', { follower })}
        description={t('live.dropBody')}
        submitLabel={t('live.drop')}
        {...dialog}
      >
        {sessionId}
      </ConfirmDialog>
    </div>
  );
}
