import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/action-form';
import { followerLabel } from '@/components/follower-name';
import { PageHeader } from '@/components/page-header';
import { ActionDialog } from '@/components/ui/action-dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { currentDatabase } from '@/db/client';
import { listAgents } from '@/db/queries/agents';
import { requireUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { loadKfSettings } from '@/lib/kf/settings';
import { TRANSCRIPT_SYNC_EVERY_MS } from '@/lib/kf/transcripts';
import { dateTimeFormat, durationText } from '../_components/format';
import { StatusBadge } from '../_components/status-badge';
import { SentMessages } from './_components/sent-messages';
import { Timeline } from './_components/timeline';
import { Transcript } from './_components/transcript';
import { pullTranscriptsAction, setRemarkAction } from '../actions';
import { titled } from '@/lib/i18n/metadata';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return /^\d{1,9}$/.test(id) ? titled('session.title', { id })() : titled('nav.sessions')();
}

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const { id: raw } = await params;
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) notFound();
  const { t, locale } = await getT();
  const db = currentDatabase().db;
  const now = new Date();
  const [detail, settings, agents] = await Promise.all([loadSessionDetail(db, { id, now }), loadKfSettings(db), listAgents(db)]);
  if (!detail) notFound();
  // Agents by their nickname, as the Live page and the messages table name them; an account wekf
  // no longer knows by its kf_account.
  const nicknames = new Map(agents.map((a) => [a.kfAccount, a.nickname]));
  const agentName = (kfAccount: string) => nicknames.get(kfAccount) ?? kfAccount;
  const timezone = settings.hours.timezone;
  const when = dateTimeFormat(locale, timezone);
  const { session, remark } = detail;
  return (
    <>
      <Link href="/sessions" className="mb-2 inline-block text-sm text-brand-700 hover:underline">
        ← {t('session.back')}
      </Link>
      <PageHeader title={t('session.title', { id: session.id })}>
        <StatusBadge t={t} status={session.historyStatus} endReason={session.endReason} />
      </PageHeader>
      <section aria-labelledby="summary" className="mb-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="summary" className="sr-only">
          {t('session.summary')}
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-slate-500">{t('session.follower')}</dt>
            <dd>
              <span className="block font-medium break-words" data-testid="follower-remark">
                {remark ?? <span className="font-normal text-slate-500">{t('session.noRemark')}</span>}
              </span>
              <span className="block font-mono text-xs break-words">{session.openid}</span>
              <div className="mt-1">
                <ActionDialog
                  action={setRemarkAction}
                  triggerLabel={t('session.editRemark')}
                  triggerVariant="ghost"
                  title={t('session.editRemarkTitle', { follower: followerLabel({ remark, openid: session.openid }) })}
                  submitLabel={t('users.save')}
                  cancelLabel={t('common.cancel')}
                  closeLabel={t('common.close')}
                  keep={['remark']}
                >
                  <input type="hidden" name="sessionId" value={session.id} />
                  <Field label={t('session.remark')} name="remark" help={t('session.remarkHelp')}>
                    <Input name="remark" autoComplete="off" defaultValue={remark ?? ''} />
                  </Field>
                </ActionDialog>
              </div>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t('sessions.colQueued')}</dt>
            <dd>{when.format(session.queuedAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t('sessions.colWaited')}</dt>
            <dd>{durationText(t, session.queuedAt, session.startedAt ?? session.endedAt ?? now)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t('sessions.colHandled')}</dt>
            <dd>{session.startedAt ? durationText(t, session.startedAt, session.endedAt ?? now) : '—'}</dd>
          </div>
        </dl>
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="timeline">
          <h2 id="timeline" className="mb-3 text-lg font-semibold">
            {t('session.timeline')}
          </h2>
          <Timeline t={t} entries={detail.timeline} when={when} agentName={agentName} />
        </section>
        <section aria-labelledby="transcript">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 id="transcript" className="text-lg font-semibold">
              {t('session.transcript')}
            </h2>
            <ActionForm action={pullTranscriptsAction} submitLabel={t('session.pull')} submitSize="sm">
              <input type="hidden" name="sessionId" value={session.id} />
            </ActionForm>
          </div>
          <Transcript
            t={t}
            lines={detail.transcript}
            when={when}
            status={session.historyStatus}
            arriving={detail.transcriptArriving}
            everyMinutes={TRANSCRIPT_SYNC_EVERY_MS / 60_000}
            agentName={agentName}
          />
        </section>
      </div>
      <section aria-labelledby="messages" className="mt-6">
        <h2 id="messages" className="mb-3 text-lg font-semibold">
          {t('session.messages')}
        </h2>
        <SentMessages t={t} locale={locale} rows={detail.messages} when={when} />
      </section>
      <section aria-labelledby="others" className="mt-6">
        <h2 id="others" className="mb-3 text-lg font-semibold">
          {t('session.others')}
        </h2>
        {detail.others.length === 0 ? (
          <p className="text-sm text-slate-500">{t('session.othersEmpty')}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
            {detail.others.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center gap-3 px-4 py-2">
                <Link href={`/sessions/${o.id}`} className="text-brand-700 hover:underline">
                  {t('session.title', { id: o.id })}
                </Link>
                <span className="text-slate-600">{when.format(o.queuedAt)}</span>
                <StatusBadge t={t} status={o.status} />
                {o.kfAccount && <span className="text-slate-500">{agentName(o.kfAccount)}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

