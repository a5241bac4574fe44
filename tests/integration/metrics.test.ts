// Metrics on seeded sessions against answers worked out by hand: an empty day, a session queued
// before midnight (service time zone) and accepted after it, an agent switch, percentiles that
// interpolate, and the service level's denominator. Each answer holds whether the days are grouped
// live or read from the daily rollup (lib/kf/metrics-rollup.ts), and for a mix of both. Waits are
// whole seconds under two minutes, which the histograms keep exactly; handling times above two
// minutes are known within 2.5 % (db/queries/metrics-histogram.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { sql } from 'drizzle-orm';
import { sessionMetrics } from '@/db/queries/metrics';
import { recordSessionSwitch } from '@/db/queries/session-timeline';
import { customerSessions } from '@/db/schema';
import { runMetricsRollup } from '@/lib/kf/metrics-rollup';
import { fillDays, serviceLevel } from '@/lib/kf/metrics-view';
import { testDatabases } from './databases';

const TZ = 'Asia/Shanghai';
// Local (UTC+8) wall time → instant.
const local = (s: string) => new Date(`${s}+08:00`);
const plus = (d: Date, s: number) => new Date(d.getTime() + s * 1000);
/** A handling time read off the histogram: within 2.5 % of the exact value. */
const near = (exact: number) => expect.toSatisfy((v: number) => Math.abs(v / exact - 1) <= 0.025, `within 2.5 % of ${exact}`);

const modes = [
  { mode: 'grouped live', rollUp: false, unroll: [] as string[] },
  { mode: 'read from the rollup', rollUp: true, unroll: [] as string[] },
  // 03-02 not rolled (the job has not got to it): that day alone is grouped live.
  { mode: 'rollup and live mixed', rollUp: true, unroll: ['2026-03-02', '2026-03-03'] },
];
const cases = testDatabases.flatMap((db) => modes.map((m) => ({ ...m, testDb: db, kind: db.kind })));

describe.each(cases)('metrics on $kind, $mode', ({ testDb, rollUp, unroll }) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await testDb.open());
    const a = local('2026-03-01T10:00:00');
    const b = local('2026-03-01T11:00:00');
    const c = local('2026-03-01T12:00:00');
    const d = local('2026-03-01T23:59:30');
    const e = local('2026-03-03T09:00:00');
    const f = local('2026-03-03T09:30:00');
    const rows = await handle.db
      .insert(customerSessions)
      .values([
        // A: wait 30 s, handled 300 s by a1.
        { openid: 'o_a', status: 'closed', kfAccount: 'a1', queuedAt: a, startedAt: plus(a, 30), endedAt: plus(a, 330) },
        // B: accepted by a1 after 90 s, switched to a2, closed after 600 s.
        { openid: 'o_b', status: 'closed', kfAccount: 'a2', queuedAt: b, startedAt: plus(b, 90), endedAt: plus(b, 690) },
        // C: expired after 30 minutes.
        { openid: 'o_c', status: 'expired', queuedAt: c, endedAt: plus(c, 1800) },
        // D: queued 30 s before midnight, accepted 60 s later (the next day), handled 600 s: counts on 03-01.
        { openid: 'o_d', status: 'closed', kfAccount: 'a2', queuedAt: d, startedAt: plus(d, 60), endedAt: plus(d, 660) },
        // E: dropped after 20 s.
        { openid: 'o_e', status: 'abandoned', queuedAt: e, endedAt: plus(e, 20) },
        // F: accepted after 10 s by a2, still active.
        { openid: 'o_f', status: 'active', kfAccount: 'a2', queuedAt: f, startedAt: plus(f, 10) },
        // Outside the range on both sides.
        { openid: 'o_g', status: 'closed', kfAccount: 'a1', queuedAt: local('2026-02-28T23:59:59'), startedAt: local('2026-03-01T00:00:09'), endedAt: local('2026-03-01T00:10:00') },
        { openid: 'o_h', status: 'expired', queuedAt: local('2026-03-04T00:00:00'), endedAt: local('2026-03-04T00:30:00') },
      ])
      .returning({ id: customerSessions.id, openid: customerSessions.openid });
    const idB = rows.find((r) => r.openid === 'o_b')!.id;
    await recordSessionSwitch(handle.db, { sessionId: idB, from: 'a1', to: 'a2', at: plus(b, 300) });
    if (rollUp) {
      const outcome = await runMetricsRollup(handle, () => local('2026-03-10T08:00:00'));
      // From the first session's day (02-28) to the day before "today" (03-10).
      expect(outcome).toMatchObject({ ran: true, value: { rolled: 10, timezone: TZ } });
      for (const day of unroll) await handle.db.execute(sql`delete from metrics_rolled_days where day = ${day}::date`);
    }
  });
  afterAll(() => drop());

  it('counts per day in the service time zone, with percentiles, handling and service level', async () => {
    const m = await sessionMetrics(handle.db, { from: '2026-03-01', to: '2026-03-03', timezone: TZ, targetSeconds: 60 });
    const empty = { sessions: 0, served: 0, expired: 0, dropped: 0, waitP50: null, waitP90: null, handleP50: null, withinTarget: 0, leftQueue: 0 };
    const days = fillDays(m.byDay, '2026-03-01', '2026-03-03', empty);
    // 03-01: A, B, C, D. Waits 30, 90, 60 → median 60, p90 60 + 0.8 × 30 = 84. Handling 300, 600, 600.
    // Within 60 s: A and D; left the queue: A, B, D and C.
    expect(days[0]).toEqual({ day: '2026-03-01', sessions: 4, served: 3, expired: 1, dropped: 0, waitP50: 60, waitP90: 84, handleP50: near(600), withinTarget: 2, leftQueue: 4 });
    expect(days[1]).toEqual({ day: '2026-03-02', ...empty });
    // 03-03: E dropped, F accepted in 10 s and still active (no handling time yet).
    expect(days[2]).toEqual({ day: '2026-03-03', sessions: 2, served: 1, expired: 0, dropped: 1, waitP50: 10, waitP90: 10, handleP50: null, withinTarget: 1, leftQueue: 2 });
    // All: waits 10, 30, 60, 90 → median 45, p90 60 + 0.7 × 30 = 81; 3 of 6 within 60 s.
    expect(m.total).toEqual({ sessions: 6, served: 4, expired: 1, dropped: 1, waitP50: 45, waitP90: 81, handleP50: near(600), withinTarget: 3, leftQueue: 6 });
    expect(serviceLevel(m.total)).toBe(0.5);
    expect(serviceLevel(days[0]!)).toBe(0.5);
  });

  it('credits a session to the agent who accepted it, not the one it was switched to', async () => {
    const m = await sessionMetrics(handle.db, { from: '2026-03-01', to: '2026-03-03', timezone: TZ, targetSeconds: 60 });
    const by = Object.fromEntries(m.byAgent.map((a) => [String(a.kfAccount), a]));
    // a1 accepted A (30 s) and B (90 s); a2 accepted D (60 s) and F (10 s); C and E were never accepted.
    expect(by.a1).toMatchObject({ sessions: 2, served: 2, waitP50: 60, handleP50: near(450), withinTarget: 1 });
    expect(by.a2).toMatchObject({ sessions: 2, served: 2, waitP50: 35, handleP50: near(600), withinTarget: 2 });
    expect(by.null).toMatchObject({ sessions: 2, served: 0, expired: 1, dropped: 1 });
  });

  it('counts the busiest hours by weekday and hour of queueing', async () => {
    const m = await sessionMetrics(handle.db, { from: '2026-03-01', to: '2026-03-03', timezone: TZ, targetSeconds: 60 });
    const heat = m.heat.map((h) => `${h.dow}:${h.hour}=${h.sessions}`).sort();
    // 2026-03-01 is a Sunday (isodow 7), 2026-03-03 a Tuesday (2).
    expect(heat).toEqual(['2:9=2', '7:10=1', '7:11=1', '7:12=1', '7:23=1']);
  });

  it('moves sessions in and out of the service level as the target changes', async () => {
    const m = await sessionMetrics(handle.db, { from: '2026-03-01', to: '2026-03-03', timezone: TZ, targetSeconds: 30 });
    // Within 30 s: A (30) and F (10).
    expect(m.total.withinTarget).toBe(2);
    const none = await sessionMetrics(handle.db, { from: '2026-04-01', to: '2026-04-02', timezone: TZ, targetSeconds: 60 });
    expect(none.total).toMatchObject({ sessions: 0, waitP50: null });
    expect(none.byDay).toEqual([]);
  });
});

describe.each(testDatabases)('the metrics rollup job on $kind', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ handle, drop } = await testDb.open()));
  afterAll(() => drop());
  const rolledDays = async () =>
    (await handle.db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day, timezone from metrics_rolled_days order by day`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { day: string; timezone: string }[];

  it('rolls a day again when one of its sessions ends later, and forgets another time zone', async () => {
    const q = local('2026-05-04T23:50:00');
    const [open] = await handle.db
      .insert(customerSessions)
      .values({ openid: 'o_late', status: 'active', kfAccount: 'a1', queuedAt: q, startedAt: plus(q, 40) })
      .returning({ id: customerSessions.id });
    // A leftover from when the service time zone was another one.
    await handle.db.execute(sql`insert into metrics_rolled_days (timezone, day, rolled_at) values ('UTC', '2026-05-01', now())`);

    const first = await runMetricsRollup(handle, () => local('2026-05-08T12:00:00'));
    // 05-04 … 05-07 (the day before 05-08); the UTC day dropped.
    expect(first).toMatchObject({ ran: true, value: { rolled: 4, dropped: 1 } });
    expect((await rolledDays()).map((d) => `${d.timezone} ${d.day}`)).toEqual([`${TZ} 2026-05-04`, `${TZ} 2026-05-05`, `${TZ} 2026-05-06`, `${TZ} 2026-05-07`]);
    const before = await sessionMetrics(handle.db, { from: '2026-05-04', to: '2026-05-04', timezone: TZ, targetSeconds: 60 });
    expect(before.total).toMatchObject({ sessions: 1, served: 1, handleP50: null, withinTarget: 1 });

    // Nothing changed: the next run rolls nothing.
    expect(await runMetricsRollup(handle, () => local('2026-05-08T12:10:00'))).toMatchObject({ value: { rolled: 0 } });

    // The session closes days later; the next run rolls its day again.
    await handle.db.execute(sql`update customer_sessions set status = 'closed', ended_at = now() where id = ${open!.id}`);
    expect(await runMetricsRollup(handle, () => local('2026-05-08T12:20:00'))).toMatchObject({ value: { rolled: 1 } });
    const after = await sessionMetrics(handle.db, { from: '2026-05-04', to: '2026-05-04', timezone: TZ, targetSeconds: 60 });
    expect(after.total.handleP50).not.toBeNull();
    expect(after.byAgent).toMatchObject([{ kfAccount: 'a1', sessions: 1 }]);
  });
});
