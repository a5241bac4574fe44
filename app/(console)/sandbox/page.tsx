import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { currentDatabase } from '@/db/client';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { loadKfSettings } from '@/lib/kf/settings';
import { CUSTOM_SEND_PATH, sandboxAvailable, sandboxWechat } from '@/lib/sandbox/console';
import { followerName } from '@/lib/sandbox/demo';
import { addDemoAgentsAction, addFollowerAction } from './actions';
import { AgentCard, type AgentView } from './_components/agent-card';
import { FollowerCard, type FollowerView } from './_components/follower-card';
import { Guide } from './_components/guide';
import { SandboxRefresher } from './_components/refresher';
import { lastActiveFirst, threadOf } from './_components/thread';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('nav.sandbox');

/** Follower cards shown, the last active first: a playground, not a list of everyone. */
const FOLLOWERS_SHOWN = 20;

export default async function SandboxPage() {
  await requireUser();
  // Outside sandbox mode there is no fake WeChat to play with: the page does not exist.
  if (!sandboxAvailable()) notFound();
  const { t } = await getT();
  const [snapshot, pushes, deliveries, sends, settings] = await Promise.all([
    sandboxWechat.snapshot(),
    sandboxWechat.pushes(),
    sandboxWechat.deliveries(),
    sandboxWechat.calls(CUSTOM_SEND_PATH),
    loadKfSettings(currentDatabase().db),
  ]);
  const keyword = settings.keywords[0] ?? '客服';
  const nameOf = (openid: string) => followerName(openid) ?? openid;
  const agentName = (kf?: string) => snapshot.accounts.find((a) => a.kfAccount === kf)?.nickname ?? kf ?? '';

  const agents: AgentView[] = snapshot.accounts.map((a) => ({
    kfAccount: a.kfAccount,
    nickname: a.nickname,
    online: a.online,
    invited: !a.boundWx && a.invite?.status === 'waiting',
    sessions: snapshot.sessions.filter((s) => s.kfAccount === a.kfAccount).map((s) => ({ openid: s.openid, name: nameOf(s.openid) })),
  }));
  // Only so many cards, the last active first, and every follower waiting or with an agent: each card
  // reads its thread from the whole history.
  const subscribed = snapshot.followers.filter((f) => f.subscribed);
  const busy = new Set([...snapshot.queue.map((w) => w.openid), ...snapshot.sessions.map((x) => x.openid)]);
  const followers: FollowerView[] = lastActiveFirst(subscribed, [...pushes, ...deliveries], FOLLOWERS_SHOWN, busy)
    .map((f) => {
      const session = snapshot.sessions.find((s) => s.openid === f.openid);
      const waiting = snapshot.queue.some((w) => w.openid === f.openid);
      return {
        openid: f.openid,
        name: nameOf(f.openid),
        state: session ? 'served' : waiting ? 'waiting' : 'none',
        agentName: session ? agentName(session.kfAccount) : undefined,
        thread: threadOf(f.openid, { pushes, deliveries, records: snapshot.records, sends }),
      };
    });
  const sessionEvents = new Set(pushes.map((p) => String((p.fields as Record<string, unknown>).Event ?? '')));
  const steps = [
    agents.length > 0,
    pushes.some((p) => (p.fields as Record<string, unknown>).Content === keyword),
    // Someone is in WeChat's queue, or has been taken from it.
    snapshot.queue.length > 0 || sessionEvents.has('kf_create_session'),
    sessionEvents.has('kf_create_session'),
    sessionEvents.has('kf_close_session'),
  ];

  return (
    <>
      <SandboxRefresher />
      <PageHeader title={t('sandbox.title')} intro={t('sandbox.intro')}>
        <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
          {t('sandbox.openLive')}
        </Link>
      </PageHeader>
      {!steps.every(Boolean) && <Guide steps={steps} keyword={keyword} t={t} />}
      <div className="grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="sandbox-followers">
          <h2 id="sandbox-followers" className="mb-3 text-base font-semibold">
            {t('sandbox.followersTitle')}
          </h2>
          <ActionForm action={addFollowerAction} submitLabel={t('sandbox.addFollower')} keep={['name']} className="mb-4" noValidate>
            <Field label={t('sandbox.followerName')} name="name" labelHidden className="min-w-0 flex-1">
              <Input name="name" controlSize="sm" placeholder={t('sandbox.followerName')} maxLength={16} autoComplete="off" />
            </Field>
          </ActionForm>
          {followers.length === 0 ? (
            <EmptyState title={t('sandbox.followersEmpty')} />
          ) : (
            <div className="space-y-4">
              {followers.map((f) => (
                <FollowerCard key={f.openid} follower={f} keyword={keyword} agentName={agentName} t={t} />
              ))}
              {subscribed.length > followers.length && (
                <p className="text-sm text-slate-500" data-testid="followers-hidden">
                  {t('sandbox.followersHidden', { count: subscribed.length - followers.length, shown: FOLLOWERS_SHOWN })}
                </p>
              )}
            </div>
          )}
        </section>
        <section aria-labelledby="sandbox-agents">
          <h2 id="sandbox-agents" className="mb-3 text-base font-semibold">
            {t('sandbox.agentsTitle')}
          </h2>
          {agents.length === 0 ? (
            <EmptyState
              title={t('sandbox.agentsEmpty')}
              action={<ActionForm action={addDemoAgentsAction} submitLabel={t('sandbox.addDemoAgents')} submitVariant="primary" />}
            />
          ) : (
            <div className="space-y-4">
              {agents.map((a) => (
                <AgentCard key={a.kfAccount} agent={a} others={agents.filter((o) => o.kfAccount !== a.kfAccount)} t={t} />
              ))}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
