import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { InlineNotice } from '@/components/ui/notice';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { currentDatabase } from '@/db/client';
import { listAgents } from '@/db/queries/agents';
import { sessionMetrics, type MetricsGroup } from '@/db/queries/metrics';
import { requireUser } from '@/lib/auth/session';
import type { Locale, Translate } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';
import { getT } from '@/lib/i18n/server';
import { fillDays, formatSeconds, serviceLevel } from '@/lib/kf/metrics-view';
import { loadKfSettings } from '@/lib/kf/settings';
import { DayChart } from './_components/day-chart';
import { HeatMap } from './_components/heat-map';
import { MAX_DAYS, parseMetricsQuery } from './schemas';
import { titled } from '@/lib/i18n/metadata';

const INVALID_LABELS = { from: 'sessions.from', to: 'sessions.to', target: 'metrics.target' } as const;

const EMPTY: MetricsGroup = { sessions: 0, served: 0, expired: 0, dropped: 0, waitP50: null, waitP90: null, handleP50: null, withinTarget: 0, leftQueue: 0 };

export const generateMetadata = titled('nav.metrics');

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { t, locale } = await getT();
  const db = currentDatabase().db;
  const timezone = (await loadKfSettings(db)).hours.timezone;
  const query = parseMetricsQuery(await searchParams, timezone, new Date());
  const [metrics, agents] = await Promise.all([sessionMetrics(db, { from: query.from, to: query.to, timezone, targetSeconds: query.targetSeconds }), listAgents(db)]);
  // Agents by nickname, as on every other page; with their account when two share one.
  const agentLabel = (kfAccount: string) => {
    const nickname = agents.find((a) => a.kfAccount === kfAccount)?.nickname;
    if (!nickname) return kfAccount;
    return agents.filter((a) => a.nickname === nickname).length > 1 ? `${nickname} (${kfAccount})` : nickname;
  };
  const days = fillDays(metrics.byDay, query.from, query.to, EMPTY);
  const fmt = formatters(t, locale);
  const columns: [string, (g: MetricsGroup) => string][] = [
    [t('metrics.sessions'), (g) => fmt.n(g.sessions)],
    [t('metrics.served'), (g) => fmt.n(g.served)],
    [t('metrics.expired'), (g) => fmt.n(g.expired)],
    [t('metrics.dropped'), (g) => fmt.n(g.dropped)],
    [t('metrics.waitP50'), (g) => fmt.s(g.waitP50)],
    [t('metrics.waitP90'), (g) => fmt.s(g.waitP90)],
    [t('metrics.handleP50'), (g) => fmt.s(g.handleP50)],
    [t('metrics.serviceLevel'), (g) => fmt.pct(serviceLevel(g))],
  ];
  return (
    <>
      <PageHeader title={t('metrics.title')} intro={t('metrics.intro', { timezone })} />
      <form method="get" action="/metrics" aria-label={t('metrics.title')} className="mb-4 grid grid-cols-2 items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4">
        <Field label={t('sessions.from')}>
          <Input type="date" name="from" defaultValue={query.from} className="w-full" />
        </Field>
        <Field label={t('sessions.to')}>
          <Input type="date" name="to" defaultValue={query.to} className="w-full" />
        </Field>
        <Field label={t('metrics.target')}>
          <Input type="number" name="target" min={1} max={3600} defaultValue={String(query.targetSeconds)} className="w-full" />
        </Field>
        <div>
          <button type="submit" className="rounded-lg border border-transparent bg-brand-700 px-4 py-2 text-sm font-medium text-white shadow-xs hover:brightness-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700">
            {t('metrics.apply')}
          </button>
        </div>
      </form>
      {query.invalid.length > 0 && (
        <InlineNotice tone="error" className="mb-4">
          {t('sessions.invalid', { fields: query.invalid.map((f) => t(INVALID_LABELS[f])).join(locale === 'zh' ? '、' : ', ') })}
        </InlineNotice>
      )}
      {query.rangeRefused && (
        <InlineNotice tone="error" className="mb-4">
          {query.rangeRefused === 'tooLong' ? t('metrics.rangeTooLong', { max: MAX_DAYS }) : t('metrics.rangeBackwards')}
        </InlineNotice>
      )}
      <section aria-labelledby="totals" className="mb-6">
        <h2 id="totals" className="sr-only">
          {t('metrics.totals')}
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="metrics-totals">
          {columns.map(([label, value]) => (
            <div key={label} className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
              <dt className="text-xs text-slate-500">{label}</dt>
              <dd className="mt-1 text-xl font-semibold tabular-nums">{value(metrics.total)}</dd>
            </div>
          ))}
        </dl>
      </section>
      {metrics.total.sessions === 0 ? (
        // Nothing queued in the range: one sentence instead of a chart, a table of zeros per day and
        // an empty heat map.
        <section aria-labelledby="by-day" className="space-y-3">
          <h2 id="by-day" className="sr-only">
            {t('metrics.byDay')}
          </h2>
          <EmptyState title={t('metrics.empty')}>{t('metrics.emptyHint', { from: query.from, to: query.to })}</EmptyState>
          <Definitions t={t} target={query.targetSeconds} />
        </section>
      ) : (
        <>
          <section aria-labelledby="by-day" className="mb-6 space-y-3">
            <h2 id="by-day" className="text-lg font-semibold">
              {t('metrics.byDay')}
            </h2>
            <DayChart
              days={days}
              label={t('metrics.byDay')}
              legend={{ served: t('metrics.served'), expired: t('metrics.expired'), dropped: t('metrics.dropped'), open: t('sessions.status.waiting') }}
            />
            <GroupTable label={t('metrics.byDay')} first={t('metrics.day')} rows={days.map((d) => [d.day, d])} columns={columns} />
            <Definitions t={t} target={query.targetSeconds} />
          </section>
          <section aria-labelledby="by-agent" className="mb-6 space-y-3">
            <h2 id="by-agent" className="text-lg font-semibold">
              {t('metrics.byAgent')}
            </h2>
            <GroupTable label={t('metrics.byAgent')} first={t('metrics.agent')} rows={metrics.byAgent.map((a) => [a.kfAccount ? agentLabel(a.kfAccount) : t('metrics.noAgent'), a])} columns={columns} />
          </section>
          <section aria-labelledby="heat" className="space-y-3">
            <h2 id="heat" className="text-lg font-semibold">
              {t('metrics.heat')}
            </h2>
            <HeatMap t={t} cells={metrics.heat} />
            <p className="text-xs text-slate-500">{t('metrics.defHeat')}</p>
          </section>
        </>
      )}
    </>
  );
}

function formatters(t: Translate, locale: Locale) {
  const number = new Intl.NumberFormat(intlLocale(locale));
  const percent = new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 });
  const units = { h: t('duration.h'), min: t('duration.min'), s: t('duration.s') };
  return { n: (v: number) => number.format(v), s: (v: number | null) => formatSeconds(v, units), pct: (v: number | null) => (v === null ? '—' : percent.format(v)) };
}

function GroupTable({ label, first, rows, columns }: { label: string; first: string; rows: [string, MetricsGroup][]; columns: [string, (g: MetricsGroup) => string][] }) {
  return (
    <Table label={label} layout="scroll">
      <THead>
        <Tr>
          <Th>{first}</Th>
          {columns.map(([c]) => (
            <Th key={c} className="text-right">
              {c}
            </Th>
          ))}
        </Tr>
      </THead>
      <TBody>
        {rows.map(([name, g]) => (
          <Tr key={name}>
            <Td className="whitespace-nowrap">{name}</Td>
            {columns.map(([c, value]) => (
              <Td key={c} className="text-right whitespace-nowrap tabular-nums">
                {value(g)}
              </Td>
            ))}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function Definitions({ t, target }: { t: Translate; target: number }) {
  return (
    <ul className="list-disc space-y-1 pl-5 text-xs text-slate-500">
      <li>{t('metrics.defSessions')}</li>
      <li>{t('metrics.defWait')}</li>
      <li>{t('metrics.defHandle')}</li>
      <li>{t('metrics.defSl', { target })}</li>
      <li>{t('metrics.defPrecision')}</li>
    </ul>
  );
}
