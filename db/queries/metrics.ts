// /metrics: sessions by day (queued, in the service time zone), by the agent who accepted them, and
// by weekday × hour, in one pass over the date range (customer_sessions_queued_id_idx) with
// GROUPING SETS; medians and p90 by percentile_cont. Nothing but the grouped numbers reaches Node.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';

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

interface Row {
  g_day: number;
  g_agent: number;
  g_heat: number;
  day: string | null;
  agent: string | null;
  dow: number | null;
  hour: number | null;
  sessions: number;
  served: number;
  expired: number;
  dropped: number;
  wait_p50: number | null;
  wait_p90: number | null;
  handle_p50: number | null;
  within_target: number;
  left_queue: number;
}

export async function sessionMetrics(db: DbOrTx, params: MetricsParams): Promise<MetricsResult> {
  const { timezone: tz } = params;
  const result = await db.execute(sql`
    with first_switch as (
      -- Switches are rare: one small hash table instead of a lookup per session.
      select distinct on (session_id) session_id, from_kf_account
      from session_events where kind = 'switched'
      order by session_id, at, id
    ),
    base as (
      select s.status,
        to_char(s.queued_at at time zone ${tz}, 'YYYY-MM-DD') as day,
        extract(isodow from s.queued_at at time zone ${tz})::int as dow,
        extract(hour from s.queued_at at time zone ${tz})::int as hour,
        extract(epoch from s.started_at - s.queued_at)::float8 as wait_s,
        case when s.status = 'closed' and s.started_at is not null then extract(epoch from s.ended_at - s.started_at)::float8 end as handle_s,
        -- The agent who accepted: the first one switched away from, else the one holding it.
        case when s.started_at is not null then coalesce(f.from_kf_account, s.kf_account) end as agent
      from customer_sessions s left join first_switch f on f.session_id = s.id
      where s.queued_at >= (${params.from}::date)::timestamp at time zone ${tz}
        and s.queued_at < (${params.to}::date + 1)::timestamp at time zone ${tz}
    )
    select grouping(day)::int as g_day, grouping(agent)::int as g_agent, grouping(dow, hour)::int as g_heat,
      day, agent, dow, hour,
      count(*)::int as sessions,
      count(wait_s)::int as served,
      (count(*) filter (where status = 'expired'))::int as expired,
      (count(*) filter (where status = 'abandoned'))::int as dropped,
      percentile_cont(0.5) within group (order by wait_s) as wait_p50,
      percentile_cont(0.9) within group (order by wait_s) as wait_p90,
      percentile_cont(0.5) within group (order by handle_s) as handle_p50,
      (count(*) filter (where wait_s <= ${params.targetSeconds}::float8))::int as within_target,
      (count(*) filter (where wait_s is not null or status in ('expired', 'abandoned')))::int as left_queue
    from base
    group by grouping sets ((day), (agent), (dow, hour), ())
  `);
  const rows = (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
  const empty: MetricsGroup = { sessions: 0, served: 0, expired: 0, dropped: 0, waitP50: null, waitP90: null, handleP50: null, withinTarget: 0, leftQueue: 0 };
  const out: MetricsResult = { total: empty, byDay: [], byAgent: [], heat: [] };
  for (const row of rows) {
    const group = toGroup(row);
    if (row.g_day === 0) out.byDay.push({ ...group, day: row.day! });
    else if (row.g_agent === 0) out.byAgent.push({ ...group, kfAccount: row.agent });
    else if (row.g_heat === 0) out.heat.push({ dow: Number(row.dow), hour: Number(row.hour), sessions: group.sessions });
    else out.total = group;
  }
  out.byDay.sort((a, b) => a.day.localeCompare(b.day));
  out.byAgent.sort((a, b) => b.served - a.served || String(a.kfAccount).localeCompare(String(b.kfAccount)));
  return out;
}

const num = (v: unknown): number => Number(v ?? 0);
const maybe = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toGroup(row: Row): MetricsGroup {
  return {
    sessions: num(row.sessions),
    served: num(row.served),
    expired: num(row.expired),
    dropped: num(row.dropped),
    waitP50: maybe(row.wait_p50),
    waitP90: maybe(row.wait_p90),
    handleP50: maybe(row.handle_p50),
    withinTarget: num(row.within_target),
    leftQueue: num(row.left_queue),
  };
}
