// /metrics: sessions by day (queued, in the service time zone), by the agent who accepted them, and
// by weekday × hour. Finished days are read from the daily rollup (metrics_daily: counts and wait /
// handling histograms per day and agent, filled by lib/kf/metrics-rollup.ts); today and any day not
// rolled up yet are grouped live from customer_sessions by the same statement, so the
// answer never depends on the job having run, only its speed does. Sums happen in SQL; Node reads
// medians and p90 off the summed histograms (metrics-histogram.ts).
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { bucketSql, countAtMost, percentileOf, type Histogram } from './metrics-histogram';

export interface MetricsParams {
  /** Dates (YYYY-MM-DD) in the service time zone, both included. */
  from: string;
  to: string;
  timezone: string;
  /** Service level target: accepted within this many seconds. */
  targetSeconds: number;
}

export interface MetricsGroup {
  sessions: number;
  /** Accepted by an agent. */
  served: number;
  /** Ran out of waiting time before anyone accepted (abandoned while waiting). */
  expired: number;
  dropped: number;
  waitP50: number | null;
  waitP90: number | null;
  handleP50: number | null;
  /** Accepted within the target wait. */
  withinTarget: number;
  /** Sessions that left the queue (accepted, expired or dropped): the service level's denominator. */
  leftQueue: number;
}

export interface MetricsResult {
  total: MetricsGroup;
  byDay: (MetricsGroup & { day: string })[];
  byAgent: (MetricsGroup & { kfAccount: string | null })[];
  /** isodow 1 (Monday) … 7, hour 0 … 23. */
  heat: { dow: number; hour: number; sessions: number }[];
}

/**
 * Days from this many days before today (service time zone) on are always grouped live: today,
 * where sessions start and end every minute. Older days are read from the rollup, rolled again by
 * the job within its interval when one of their sessions ends late.
 */
export const LIVE_DAYS = 1;

/** Dates (YYYY-MM-DD, made here) as one date[] parameter; drizzle would spread a JS array into a list. */
const dateArray = (days: string[]) => sql`${`{${days.join(',')}}`}::date[]`;

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** Midnight starting `day` (an SQL date expression) in the time zone, as an instant. */
const dayStart = (day: SQL, tz: string) => sql`(${day})::timestamp at time zone ${tz}`;

/**
 * One row per (day, accepting agent) of sessions queued from `from` to `to` (dates, both included)
 * in the time zone, leaving out `exceptDays`: the columns of metrics_daily. The accepting agent is
 * the first one switched away from (session_events), else the one holding the session.
 */
function dayGroups(tz: string, from: string, to: string, exceptDays: string[] = []): SQL {
  const wait = sql`extract(epoch from s.started_at - s.queued_at)::float8`;
  const handle = sql`case when s.status = 'closed' and s.started_at is not null then extract(epoch from s.ended_at - s.started_at)::float8 end`;
  return sql`
    with first_switch as (
      -- A session is switched after it was queued, so switches since the range began are all that
      -- can matter: session_events_switched_at_idx reads just those, for one hash join.
      select distinct on (session_id) session_id, from_kf_account from session_events
      where kind = 'switched' and at >= ${dayStart(sql`${from}::date`, tz)}
      order by session_id, at, id
    ),
    base as (
      select (s.queued_at at time zone ${tz})::date as day,
        extract(hour from s.queued_at at time zone ${tz})::int as hour,
        case when s.started_at is not null then coalesce(f.from_kf_account, s.kf_account, '') else '' end as agent,
        s.status, ${bucketSql(wait)} as wb, ${bucketSql(handle)} as hb
      from customer_sessions s
      left join first_switch f on f.session_id = s.id
      where s.queued_at >= ${dayStart(sql`${from}::date`, tz)} and s.queued_at < ${dayStart(sql`${to}::date + 1`, tz)}
    ),
    kept as (select * from base where day <> all(${dateArray(exceptDays)})),
    counts as (
      select day, agent, count(*)::int as sessions, count(wb)::int as served,
        (count(*) filter (where status = 'expired'))::int as expired,
        (count(*) filter (where status = 'abandoned'))::int as dropped,
        (count(*) filter (where wb is not null or status in ('expired', 'abandoned')))::int as left_queue
      from kept group by day, agent
    ),
    hours as (
      select day, agent, array_agg(hour order by hour) as hs, array_agg(n order by hour) as ns
      from (select day, agent, hour, count(*)::int as n from kept group by 1, 2, 3) x group by 1, 2
    ),
    waits as (
      select day, agent, array_agg(b order by b) as bs, array_agg(n order by b) as ns
      from (select day, agent, wb as b, count(*)::int as n from kept where wb is not null group by 1, 2, 3) x group by 1, 2
    ),
    handles as (
      select day, agent, array_agg(b order by b) as bs, array_agg(n order by b) as ns
      from (select day, agent, hb as b, count(*)::int as n from kept where hb is not null group by 1, 2, 3) x group by 1, 2
    )
    select c.day, c.agent as kf_account, c.sessions, c.served, c.expired, c.dropped, c.left_queue,
      array(select coalesce(h.ns[array_position(h.hs, g)], 0) from generate_series(0, 23) g) as by_hour,
      coalesce(w.bs, '{}') as wait_buckets, coalesce(w.ns, '{}') as wait_counts,
      coalesce(d.bs, '{}') as handle_buckets, coalesce(d.ns, '{}') as handle_counts
    from counts c
    join hours h using (day, agent)
    left join waits w using (day, agent)
    left join handles d using (day, agent)`;
}

/**
 * Rolls up one day (YYYY-MM-DD, service time zone): its rows in metrics_daily replaced, and the day
 * recorded as rolled now — in one transaction (the caller's), so a reader sees the old day or the new.
 */
export async function rollUpDay(tx: DbOrTx, params: { timezone: string; day: string }): Promise<void> {
  const { timezone: tz, day } = params;
  await tx.execute(sql`delete from metrics_daily where timezone = ${tz} and day = ${day}::date`);
  await tx.execute(sql`
    insert into metrics_daily (timezone, day, kf_account, sessions, served, expired, dropped, left_queue,
      by_hour, wait_buckets, wait_counts, handle_buckets, handle_counts)
    select ${tz}, g.* from (${dayGroups(tz, day, day)}) g`);
  await tx.execute(sql`
    insert into metrics_rolled_days (timezone, day, rolled_at) values (${tz}, ${day}::date, now())
    on conflict (timezone, day) do update set rolled_at = excluded.rolled_at`);
}

/** Forgets the rollups of every other time zone (the service time zone changed). */
export async function dropOtherTimezones(tx: DbOrTx, timezone: string): Promise<number> {
  await tx.execute(sql`delete from metrics_daily where timezone <> ${timezone}`);
  const gone = await tx.execute(sql`delete from metrics_rolled_days where timezone <> ${timezone} returning day`);
  return rowsOf(gone).length;
}

/**
 * The days the rollup should (re)build, oldest first, at most `limit`: days from the first session
 * to `lastDay` not rolled yet, then rolled days with a session that ended after `endedSince` (it was
 * still open, or changed, when its day was rolled).
 */
export async function daysToRollUp(
  db: DbOrTx,
  params: { timezone: string; lastDay: string; endedSince: Date | null; limit: number },
): Promise<string[]> {
  const { timezone: tz, lastDay } = params;
  const missing = rowsOf<{ day: string }>(
    await db.execute(sql`
      with first as (select (min(queued_at) at time zone ${tz})::date as day from customer_sessions)
      select to_char(d, 'YYYY-MM-DD') as day
      from first, generate_series(first.day, ${lastDay}::date, interval '1 day') d
      where first.day is not null
        and not exists (select 1 from metrics_rolled_days r where r.timezone = ${tz} and r.day = d::date)
      order by d limit ${params.limit}`),
  ).map((r) => r.day);
  if (!params.endedSince || missing.length >= params.limit) return missing;
  // customer_sessions_ended_at_idx: only what ended since the last run is read.
  const changed = rowsOf<{ day: string }>(
    await db.execute(sql`
      select distinct to_char(s.queued_at at time zone ${tz}, 'YYYY-MM-DD') as day
      from customer_sessions s
      join metrics_rolled_days r on r.timezone = ${tz} and r.day = (s.queued_at at time zone ${tz})::date
      where s.ended_at >= ${params.endedSince.toISOString()}::timestamptz and s.ended_at >= r.rolled_at - interval '10 minutes'
        and s.queued_at < ${dayStart(sql`${lastDay}::date + 1`, tz)}
      order by 1 limit ${params.limit - missing.length}`),
  ).map((r) => r.day);
  return [...missing, ...changed.filter((d) => !missing.includes(d))];
}

/**
 * The histogram columns `<measure>_buckets` / `<measure>_counts` of the rows `g`, summed per day,
 * per agent and over all (day and agent null), as sorted sparse arrays.
 */
function summedHistograms(measure: 'wait' | 'handle'): SQL {
  const buckets = sql.raw(`g.${measure}_buckets`);
  const counts = sql.raw(`g.${measure}_counts`);
  return sql`
    select day, agent, array_agg(b order by b) as bs, array_agg(n order by b) as ns from (
      select to_char(day, 'YYYY-MM-DD') as day, kf_account as agent, u.b, sum(u.n)::int as n
      from g, unnest(${buckets}, ${counts}) as u(b, n)
      group by grouping sets ((day, u.b), (kf_account, u.b), (u.b))
    ) x group by day, agent`;
}

interface SumRow {
  day: string | null;
  agent: string | null;
  sessions: number;
  served: number;
  expired: number;
  dropped: number;
  left_queue: number;
  wait_buckets: number[] | null;
  wait_counts: number[] | null;
  handle_buckets: number[] | null;
  handle_counts: number[] | null;
}

export async function sessionMetrics(db: DbOrTx, params: MetricsParams): Promise<MetricsResult> {
  const { timezone: tz, from, to } = params;
  // Rolled days in the range, except today's (sessions still start and end there every minute).
  const rolled = rowsOf<{ day: string }>(
    await db.execute(sql`
      select to_char(day, 'YYYY-MM-DD') as day from metrics_rolled_days
      where timezone = ${tz} and day between ${from}::date and ${to}::date
        and day <= (now() at time zone ${tz})::date - ${LIVE_DAYS}::int`),
  ).map((r) => r.day);
  const rolledSet = new Set(rolled);
  const liveFrom = firstDayNotIn(from, to, rolledSet);
  const groups = [
    sql`select day, kf_account, sessions, served, expired, dropped, left_queue, by_hour, wait_buckets, wait_counts, handle_buckets, handle_counts
        from metrics_daily where timezone = ${tz} and day = any(${dateArray(rolled)})`,
  ];
  if (liveFrom) groups.push(sql`select * from (${dayGroups(tz, liveFrom, to, rolled.filter((d) => d >= liveFrom))}) live`);

  const [row] = rowsOf<{ sums: SumRow[] | null; heat: { dow: number; hour: number; sessions: number }[] | null }>(
    await db.execute(sql`
      with g as (${sql.join(groups, sql` union all `)}),
      counts as (
        select to_char(day, 'YYYY-MM-DD') as day, kf_account as agent,
          sum(sessions)::int as sessions, sum(served)::int as served, sum(expired)::int as expired,
          sum(dropped)::int as dropped, sum(left_queue)::int as left_queue
        from g group by grouping sets ((day), (kf_account), ())
      ),
      waits as (${summedHistograms('wait')}),
      handles as (${summedHistograms('handle')}      )
      select
        (select json_agg(json_build_object('day', c.day, 'agent', c.agent, 'sessions', c.sessions, 'served', c.served,
            'expired', c.expired, 'dropped', c.dropped, 'left_queue', c.left_queue,
            'wait_buckets', w.bs, 'wait_counts', w.ns, 'handle_buckets', h.bs, 'handle_counts', h.ns))
          from counts c
          left join waits w on w.day is not distinct from c.day and w.agent is not distinct from c.agent
          left join handles h on h.day is not distinct from c.day and h.agent is not distinct from c.agent
        ) as sums,
        (select json_agg(json_build_object('dow', dow, 'hour', hour, 'sessions', n)) from (
          select extract(isodow from g.day)::int as dow, (u.i - 1)::int as hour, sum(u.n)::int as n
          from g, unnest(g.by_hour) with ordinality as u(n, i)
          group by 1, 2 having sum(u.n) > 0
        ) x) as heat`),
  );

  const empty: MetricsGroup = { sessions: 0, served: 0, expired: 0, dropped: 0, waitP50: null, waitP90: null, handleP50: null, withinTarget: 0, leftQueue: 0 };
  const out: MetricsResult = { total: empty, byDay: [], byAgent: [], heat: row?.heat ?? [] };
  for (const sum of row?.sums ?? []) {
    const group = toGroup(sum, params.targetSeconds);
    if (sum.day !== null) out.byDay.push({ ...group, day: sum.day });
    else if (sum.agent !== null) out.byAgent.push({ ...group, kfAccount: sum.agent === '' ? null : sum.agent });
    else out.total = group;
  }
  out.byDay.sort((a, b) => a.day.localeCompare(b.day));
  out.byAgent.sort((a, b) => b.served - a.served || String(a.kfAccount).localeCompare(String(b.kfAccount)));
  return out;
}

/** The first date from `from` to `to` that is not in `rolled`, or undefined. */
function firstDayNotIn(from: string, to: string, rolled: Set<string>): string | undefined {
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (!rolled.has(day)) return day;
  }
  return undefined;
}

function toGroup(row: SumRow, targetSeconds: number): MetricsGroup {
  const wait: Histogram = { buckets: row.wait_buckets ?? [], counts: row.wait_counts ?? [] };
  const handle: Histogram = { buckets: row.handle_buckets ?? [], counts: row.handle_counts ?? [] };
  return {
    sessions: Number(row.sessions),
    served: Number(row.served),
    expired: Number(row.expired),
    dropped: Number(row.dropped),
    waitP50: percentileOf(wait, 0.5),
    waitP90: percentileOf(wait, 0.9),
    handleP50: percentileOf(handle, 0.5),
    withinTarget: countAtMost(wait, targetSeconds),
    leftQueue: Number(row.left_queue),
  };
}
