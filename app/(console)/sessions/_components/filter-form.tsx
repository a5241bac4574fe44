// The filters as a plain GET form: applying them is a navigation, so the URL holds them (shareable)
// and the back button returns to the previous list.
import Link from 'next/link';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { HISTORY_STATUSES } from '@/db/queries/session-history';
import type { Translate } from '@/lib/i18n/format';
import type { ParsedFilters } from '../schemas';
import { linkButtonClass } from './format';

export function FilterForm({ t, query, agents }: { t: Translate; query: ParsedFilters['query']; agents: { kfAccount: string; nickname: string }[] }) {
  return (
    // noValidate: a bad value is named on the page in the console's language (sessions.invalid), not
    // in a browser bubble in the browser's.
    <form method="get" action="/sessions" noValidate aria-label={t('sessions.filters')} className="mb-4 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-3 xl:grid-cols-6">
      <Field label={t('sessions.from')}>
        <Input type="date" name="from" defaultValue={query.from} className="w-full" />
      </Field>
      <Field label={t('sessions.to')}>
        <Input type="date" name="to" defaultValue={query.to} className="w-full" />
      </Field>
      <Field label={t('sessions.agent')}>
        <Select name="agent" defaultValue={query.agent ?? ''} className="w-full">
          <option value="">{t('sessions.anyAgent')}</option>
          {agents.map((a) => (
            <option key={a.kfAccount} value={a.kfAccount}>
              {a.nickname} ({a.kfAccount})
            </option>
          ))}
          {query.agent && !agents.some((a) => a.kfAccount === query.agent) && <option value={query.agent}>{query.agent}</option>}
        </Select>
      </Field>
      <Field label={t('sessions.status')}>
        <Select name="status" defaultValue={query.status ?? ''} className="w-full">
          <option value="">{t('sessions.anyStatus')}</option>
          {HISTORY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`sessions.status.${s}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('sessions.follower')} help={t('sessions.followerHelp')}>
        {/* An exact ?openid= from a link shows here; applied again it matches the same follower. */}
        <Input
          name="follower"
          defaultValue={query.follower ?? query.openid}
          placeholder={t('sessions.followerPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          className="w-full"
        />
      </Field>
      <Field label={t('sessions.waited')}>
        <Input type="number" name="waited" min={0} max={10080} inputMode="numeric" defaultValue={query.waited} className="w-full" />
      </Field>
      <div className="col-span-2 flex flex-wrap items-center gap-2 md:col-span-3 xl:col-span-6">
        <button type="submit" className="rounded-lg border border-transparent bg-brand-700 px-4 py-2 text-sm font-medium text-white shadow-xs hover:brightness-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700">
          {t('sessions.apply')}
        </button>
        <Link href="/sessions" className={linkButtonClass}>
          {t('sessions.clear')}
        </Link>
      </div>
    </form>
  );
}
