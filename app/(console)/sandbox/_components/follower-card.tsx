import { ActionForm } from '@/components/action-form';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NewestLastList } from '@/components/ui/newest-last-list';
import type { Translate } from '@/lib/i18n/format';
import { describeErrcode } from '@/lib/wechat/errcodes';
import { followerScanAction, followerSendAction } from '../actions';
import type { ThreadItem } from './thread';

export interface FollowerView {
  openid: string;
  name: string;
  state: 'waiting' | 'served' | 'none';
  agentName?: string;
  thread: ThreadItem[];
}

export function FollowerCard({
  follower,
  keyword,
  agentName,
  t,
}: {
  follower: FollowerView;
  keyword: string;
  agentName: (kf?: string) => string;
  t: Translate;
}) {
  const openid = <input type="hidden" name="openid" value={follower.openid} />;
  return (
    <article aria-label={follower.name} data-testid={`follower-${follower.name}`} className="rounded-2xl border border-slate-200 bg-white shadow-sm">
      <header className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2">
        <div className="min-w-0">
          <h3 className="truncate text-sm font-semibold">{follower.name}</h3>
          <p className="truncate font-mono text-xs text-slate-500">{follower.openid}</p>
        </div>
        {follower.state === 'waiting' && <Badge tone="warning">{t('live.waitingCount')}</Badge>}
        {follower.state === 'served' && <Badge tone="success">{follower.agentName ?? t('live.activeCount')}</Badge>}
      </header>
      <NewestLastList count={follower.thread.length} className="max-h-80 space-y-2 overflow-y-auto bg-slate-50 px-3 py-3 text-sm" aria-label={t('sandbox.message')}>
        {follower.thread.length === 0 && <li className="text-center text-xs text-slate-500">{t('sandbox.threadEmpty')}</li>}
        {follower.thread.map((item, i) => (
          <li key={i} className={item.kind === 'typed' ? 'flex justify-end' : item.kind === 'event' || item.kind === 'failed' ? 'text-center' : 'flex justify-start'}>
            {item.kind === 'failed' ? (
              <span role="note" className="rounded-md bg-red-50 px-2 py-1 text-xs text-red-700">
                {t('sandbox.sendFailed', { zh: describeErrcode(item.errcode)?.zh ?? '', en: describeErrcode(item.errcode)?.en ?? '', code: item.errcode })}
              </span>
            ) : item.kind === 'event' ? (
              <span className="text-xs text-slate-500">
                {t('sandbox.event', { event: item.event })}
                {item.kfAccount ? ` · ${agentName(item.kfAccount)}` : ''}
              </span>
            ) : (
              <div className={item.kind === 'typed' ? 'max-w-[85%] rounded-xl bg-brand-600/15 px-3 py-1.5' : 'max-w-[85%] rounded-xl bg-white px-3 py-1.5 ring-1 ring-slate-200'}>
                <p className="text-[11px] text-slate-500">
                  {item.kind === 'typed'
                    ? t('sandbox.you')
                    : item.source === 'reply'
                      ? t('sandbox.fromReply')
                      : item.source === 'agent'
                        ? t('sandbox.fromAgent', { agent: agentName(item.kfAccount) })
                        : t('sandbox.fromApi')}
                </p>
                <p className="break-words whitespace-pre-wrap">{item.text}</p>
              </div>
            )}
          </li>
        ))}
      </NewestLastList>
      <div className="space-y-2 px-3 py-3">
        <ActionForm action={followerSendAction} submitLabel={t('sandbox.send')} submitVariant="primary" keep={['text']} noValidate>
          {openid}
          <Field label={`${t('sandbox.message')} · ${follower.name}`} labelHidden name="text" className="min-w-0 flex-1">
            <Input name="text" controlSize="sm" placeholder={keyword} autoComplete="off" />
          </Field>
        </ActionForm>
        <div className="flex flex-wrap gap-2">
          <ActionForm action={followerSendAction} submitLabel={`「${keyword}」`} submitVariant="secondary">
            {openid}
            <input type="hidden" name="text" value={keyword} />
          </ActionForm>
          {/* As an agent holding their phone to the code the Agents page shows. */}
          <ActionForm action={followerScanAction} submitLabel={t('sandbox.scanQr')}>
            {openid}
          </ActionForm>
        </div>
      </div>
    </article>
  );
}
