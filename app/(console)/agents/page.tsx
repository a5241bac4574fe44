// /agents — WeChat's customer-service accounts as wekf knows them: their state, who is online,
// whether a queue alert can reach each agent, and (for admins) everything to change that.
import { ActionForm } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { ActionDialog, ConfirmDialog } from '@/components/ui/action-dialog';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { InlineNotice } from '@/components/ui/notice';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { currentDatabase } from '@/db/client';
import { listAgentsForConsole, type AgentRow } from '@/db/queries/agents';
import { findJobRun } from '@/db/queries/job-runs';
import { requireUser } from '@/lib/auth/session';
import type { Locale, Translate } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';
import { getT } from '@/lib/i18n/server';
import { AGENT_SYNC_JOB, AVATAR_MAX_BYTES } from '@/lib/kf/agents';
import { loadKfSettings } from '@/lib/kf/settings';
import { wechatErrorMessage } from '@/lib/forms/wechat-error';
import { describeErrcode } from '@/lib/wechat/errcodes';
import { WechatApiError } from '@/lib/wechat/errors';
import { avatarAction, clearOpenidAction, inviteAction, reinviteAction, removeAction, renameAction, setOpenidAction, syncNowAction } from './actions';
import { AgentAvatar } from './_components/agent-avatar';
import { BindDialog, type BindClock, type BindLabels } from './_components/bind-dialog';
import { InviteForm } from './_components/invite-form';
import { titled } from '@/lib/i18n/metadata';

export const dynamic = 'force-dynamic';

const STATUS_TONE: Record<AgentRow['status'], BadgeTone> = {
  uninvited: 'warning',
  invited: 'info',
  active: 'success',
  rejected: 'danger',
  expired: 'warning',
  removed: 'neutral',
};

export const generateMetadata = titled('nav.agents');

export default async function AgentsPage() {
  const me = await requireUser();
  const admin = me.role === 'admin';
  const { t, locale } = await getT();
  const database = currentDatabase();
  const now = new Date();
  const [agents, sync, settings] = await Promise.all([
    listAgentsForConsole(database.db, { now }),
    findJobRun(database.db, { name: AGENT_SYNC_JOB }),
    loadKfSettings(database),
  ]);
  const time = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.hours.timezone });
  // The part after @ is the same for every account of one Official Account: offer it to the invite.
  const accountWx = agents.find((a) => a.status !== 'removed')?.kfAccount.split('@')[1] ?? '';

  return (
    <>
      <PageHeader title={t('agents.title')} intro={t('agents.intro')}>
        <div className="flex flex-col items-start gap-1 sm:items-end">
          {admin && <ActionForm action={syncNowAction} submitLabel={t('agents.syncNow')} submitVariant="primary" />}
          <SyncStatus sync={sync} t={t} locale={locale} format={(d) => time.format(d)} />
        </div>
      </PageHeader>
      {!admin && (
        <InlineNotice tone="info" className="mb-4">
          {t('agents.readOnly')}
        </InlineNotice>
      )}
      {agents.length === 0 ? (
        <EmptyState title={t('agents.emptyTitle')}>{t('agents.emptyBody')}</EmptyState>
      ) : (
        <Table label={t('agents.title')}>
          <THead>
            <Tr>
              <Th>{t('agents.agent')}</Th>
              <Th>{t('agents.status')}</Th>
              <Th>{t('agents.worker')}</Th>
              <Th>{t('agents.onlineNow')}</Th>
              <Th>{t('agents.alerts')}</Th>
              {admin && <Th>{t('agents.actions')}</Th>}
            </Tr>
          </THead>
          <TBody>
            {agents.map((agent) => (
              <Tr key={agent.id} data-testid={`agent-${agent.kfAccount}`} className={agent.status === 'removed' ? 'text-slate-500' : undefined}>
                <Td label={t('agents.agent')}>
                  <div className="flex min-w-44 items-center gap-3">
                    <AgentAvatar url={agent.avatarUrl} name={agent.nickname} />
                    <div className="min-w-0">
                      <p className="font-medium">{agent.nickname}</p>
                      <p className="break-words text-xs text-slate-500">{agent.kfAccount}</p>
                    </div>
                  </div>
                </Td>
                <Td label={t('agents.status')}>
                  <div className="space-y-1">
                    <Badge tone={STATUS_TONE[agent.status]}>{t(`agents.status.${agent.status}`)}</Badge>
                    {agent.status === 'invited' && agent.inviteExpiresAt && (
                      <p className="text-xs text-slate-500">{t('agents.inviteExpires', { time: time.format(agent.inviteExpiresAt) })}</p>
                    )}
                    {agent.inviteErrcode !== null && agent.status !== 'active' && agent.status !== 'removed' && (
                      <p className="text-xs text-red-700">
                        {t('agents.inviteFailed', { meaning: meaningOf(agent.inviteErrcode, agent.inviteError, locale), code: agent.inviteErrcode })}
                      </p>
                    )}
                  </div>
                </Td>
                <Td label={t('agents.worker')}>
                  {/* The WeChat ID that works this account: bound, or only invited so far (said so). */}
                  <div className="break-words">
                    {agent.kfWx ??
                      (agent.inviteWx ? <span className="text-slate-500">{agent.status === 'invited' ? t('agents.workerInvited', { wx: agent.inviteWx }) : agent.inviteWx}</span> : '—')}
                  </div>
                </Td>
                <Td label={t('agents.onlineNow')}>
                  <OnlineCell agent={agent} t={t} />
                </Td>
                <Td label={t('agents.alerts')}>
                  <AlertCell agent={agent} t={t} />
                </Td>
                {admin && (
                  <Td label={t('agents.actions')}>
                    {agent.status === 'removed' ? <div className="text-slate-400">—</div> : <AgentActions agent={agent} t={t} clock={{ locale, timeZone: settings.hours.timezone }} />}
                  </Td>
                )}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {admin && (
        <section aria-labelledby="invite-heading" className="mt-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
          <h2 id="invite-heading" className="text-base font-semibold">
            {t('agents.invite')}
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-600">{t('agents.inviteIntro')}</p>
          <InviteForm
            action={inviteAction}
            accountWx={accountWx}
            labels={{
              prefix: t('agents.prefix'),
              prefixHelp: t('agents.prefixHelp'),
              accountWx: t('agents.accountWx'),
              accountWxHelp: t('agents.accountWxHelp'),
              nickname: t('agents.nickname'),
              nicknameHelp: t('agents.nicknameHelp'),
              inviteWx: t('agents.inviteWx'),
              inviteWxHelp: t('agents.inviteWxHelp'),
              submit: t('agents.inviteSubmit'),
            }}
          />
        </section>
      )}
    </>
  );
}

function meaningOf(errcode: number, fallback: string | null, locale: Locale): string {
  return describeErrcode(errcode)?.[locale] ?? fallback ?? String(errcode);
}

/** A recorded job error, as WeChat's meaning in the reader's language when it was WeChat's refusal. */
function jobErrorText(error: string, t: Translate, locale: Locale): string {
  const errcode = /WeChat API error (-?\d+)/.exec(error)?.[1];
  if (errcode !== undefined) return wechatErrorMessage(new WechatApiError(Number(errcode), ''), t, locale) ?? error;
  if (error.startsWith('WechatNetworkError')) return t('wechat.unreachable');
  return error;
}

function SyncStatus({ sync, t, locale, format }: { sync: Awaited<ReturnType<typeof findJobRun>>; t: Translate; locale: Locale; format: (d: Date) => string }) {
  if (!sync?.lastFinishedAt) return <p className="text-xs text-slate-500">{t('agents.neverSynced')}</p>;
  if (sync.lastError) {
    return (
      <p className="max-w-md text-xs text-red-700 sm:text-right" role="status">
        {t('agents.syncFailed', { time: format(sync.lastFinishedAt), error: jobErrorText(sync.lastError, t, locale) })}
      </p>
    );
  }
  return <p className="text-xs text-slate-500">{t('agents.lastSync', { time: format(sync.lastOkAt ?? sync.lastFinishedAt) })}</p>;
}

function OnlineCell({ agent, t }: { agent: AgentRow; t: Translate }) {
  if (agent.status !== 'active') return <div className="text-slate-400">—</div>;
  if (!agent.onlineCheckedAt) return <div className="text-slate-500">{t('agents.onlineUnknown')}</div>;
  return (
    <div className="flex items-center gap-2 whitespace-nowrap">
      <span aria-hidden="true" className={`size-2 rounded-full ${agent.online ? 'bg-emerald-500' : 'bg-slate-300'}`} />
      {agent.online ? t('agents.online', { count: agent.activeChats }) : t('agents.offline')}
    </div>
  );
}

function AlertCell({ agent, t }: { agent: AgentRow; t: Translate }) {
  if (agent.status === 'removed') return <div className="text-slate-400">—</div>;
  const openid = agent.kfOpenid && <p className="break-words font-mono text-xs text-slate-500">{agent.kfOpenid}</p>;
  if (agent.alerts === 'ready') {
    const source = agent.kfOpenidSource === 'qr' || agent.kfOpenidSource === 'code' || agent.kfOpenidSource === 'typed' ? t(`agents.source.${agent.kfOpenidSource}`) : '';
    return (
      <div className="space-y-1">
        <Badge tone="success" wrap>
          {t('agents.canAlert', { source })}
        </Badge>
        {openid}
      </div>
    );
  }
  const why = { no_openid: 'agents.alertNoOpenid', window_closed: 'agents.alertWindowClosed', used_up: 'agents.alertUsedUp' } as const;
  return (
    <div className="max-w-xs space-y-1">
      <p className="text-xs text-amber-800">{t(why[agent.alerts])}</p>
      {openid}
    </div>
  );
}

function AgentActions({ agent, t, clock }: { agent: AgentRow; t: Translate; clock: BindClock }) {
  const id = <input type="hidden" name="agentId" value={agent.id} />;
  const dialog = { cancelLabel: t('common.cancel'), closeLabel: t('common.close') };
  const bindLabels: BindLabels = {
    bind: t('agents.bind'),
    change: t('agents.changeOpenid'),
    title: t('agents.bindTitle', { name: agent.nickname }),
    intro: t('agents.bindIntro'),
    qr: t('agents.bindQr'),
    code: t('agents.bindCode'),
    makeQr: t('agents.bindQrMake'),
    makeCode: t('agents.bindCodeMake'),
    typed: t('agents.bindTyped'),
    qrHelp: t('agents.bindQrHelp'),
    qrAlt: t('agents.bindQrAlt'),
    codeHelp: t('agents.bindCodeHelp'),
    done: t('agents.bindDone'),
    expired: t('agents.bindExpired'),
    makeNew: t('agents.bindNew'),
    waiting: t('agents.bindWaiting'),
    openid: t('agents.openid'),
    openidHelp: t('agents.openidHelp'),
    confirmUnseen: t('agents.confirmUnseen'),
    save: t('agents.saveOpenid'),
    unbound: t('agents.unbound'),
    close: t('common.close'),
  };
  const canInvite = agent.status === 'uninvited' || agent.status === 'rejected' || agent.status === 'expired';
  return (
    <div className="flex flex-wrap items-start gap-2">
      <BindDialog
        agentId={agent.id}
        labels={bindLabels}
        clock={clock}
        setOpenid={setOpenidAction}
        currentOpenid={agent.kfOpenid}
        unbind={
          agent.kfOpenid ? (
            <ActionForm action={clearOpenidAction} submitLabel={t('agents.unbind')}>
              {id}
            </ActionForm>
          ) : undefined
        }
      />
      {canInvite && (
        <ActionDialog
          action={reinviteAction}
          triggerLabel={t('agents.reinvite')}
          triggerVariant="primary"
          title={t('agents.reinviteTitle', { name: agent.nickname })}
          submitLabel={t('agents.reinvite')}
          keep={['inviteWx']}
          {...dialog}
        >
          {id}
          <Field label={t('agents.inviteWx')} name="inviteWx" help={t('agents.inviteWxHelp')}>
            <Input name="inviteWx" autoComplete="off" spellCheck={false} defaultValue={agent.inviteWx ?? undefined} />
          </Field>
        </ActionDialog>
      )}
      <ActionDialog action={renameAction} triggerLabel={t('agents.edit')} title={t('agents.editTitle', { name: agent.nickname })} submitLabel={t('users.save')} keep={['nickname']} {...dialog}>
        {id}
        <Field label={t('agents.nickname')} name="nickname" help={t('agents.nicknameHelp')}>
          <Input name="nickname" autoComplete="off" defaultValue={agent.nickname} />
        </Field>
      </ActionDialog>
      <ActionDialog
        action={avatarAction}
        triggerLabel={t('agents.avatar')}
        title={t('agents.avatar')}
        submitLabel={t('agents.avatarSubmit')}
        fileLimits={{ avatar: { maxBytes: AVATAR_MAX_BYTES, message: t('agents.avatarTooBig', { max: '5 MB' }) } }}
        {...dialog}
      >
        {id}
        <Field label={t('agents.avatar')} name="avatar" help={t('agents.avatarHelp')}>
          <Input name="avatar" type="file" accept="image/jpeg" />
        </Field>
      </ActionDialog>
      <ConfirmDialog
        action={removeAction}
        triggerLabel={t('agents.remove')}
        triggerVariant="ghost"
        title={t('agents.removeTitle', { name: agent.nickname })}
        description={t('agents.removeBody', { kfAccount: agent.kfAccount })}
        submitLabel={t('agents.remove')}
        {...dialog}
      >
        {id}
      </ConfirmDialog>
    </div>
  );
}
