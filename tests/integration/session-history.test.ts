// Session history reads on both engines: every filter, keyset pages that neither skip nor repeat a
// row (equal timestamps, sessions arriving while paging), the capped count, a session's timeline and
// the CSV export stream (BOM, quoting, audit).
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import {
  countSessionHistory,
  decodeCursor,
  encodeCursor,
  listSessionHistory,
  REMARK_MATCH_CAP,
  remarkMatchesOverCap,
  type SessionCursor,
  type SessionFilter,
} from '@/db/queries/session-history';
import { recordSessionSwitch } from '@/db/queries/session-timeline';
import { agents, auditLog, customerSessions, followers, outbox, users } from '@/db/schema';
import { exportSessionsCsv } from '@/lib/kf/session-export';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { testDatabases } from './databases';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-03-10T00:00:00Z');
type NewSession = typeof customerSessions.$inferInsert;

async function seed(db: DatabaseHandle['db'], rows: NewSession[]): Promise<number[]> {
  const inserted = await db.insert(customerSessions).values(rows).returning({ id: customerSessions.id });
  return inserted.map((r) => r.id);
}

const at = (iso: string) => new Date(iso);
const seconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

async function walk(db: DatabaseHandle['db'], filter: SessionFilter, limit: number, between?: () => Promise<void>) {
  const ids: number[] = [];
  let after: SessionCursor | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await listSessionHistory(db, { filter, timezone: TZ, now: NOW, after, limit });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.older) break;
    after = page.older;
    await between?.();
  }
  return ids;
}

describe.each(testDatabases)('session history on $kind', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await testDb.open());
  });
  afterAll(() => drop());

  it('pages newest first with no row skipped or repeated, across equal timestamps and new arrivals', async () => {
    const db = handle.db;
    const base = at('2026-02-01T02:00:00Z');
    // 7 sessions share each timestamp; microseconds differ on some, which a millisecond cursor would lose.
    const rows: NewSession[] = Array.from({ length: 84 }, (_, i) => ({
      openid: `o_page_${i}`,
      status: 'closed',
      kfAccount: 'page@x',
      queuedAt: new Date(base.getTime() + Math.floor(i / 7) * 60_000),
      endedAt: base,
    }));
    const ids = await seed(db, rows);
    await db.execute(sql`update customer_sessions set queued_at = queued_at + interval '250 microseconds' where openid like 'o_page_%' and id % 3 = 0`);
    const expected = (
      await db.select({ id: customerSessions.id }).from(customerSessions).where(eq(customerSessions.kfAccount, 'page@x')).orderBy(desc(customerSessions.queuedAt), desc(customerSessions.id))
    ).map((r) => r.id);
    expect(expected).toHaveLength(ids.length);

    let arrivals = 0;
    const seen = await walk(db, { agent: 'page@x' }, 10, async () => {
      // A new session arrives between pages: it is newer than every row, so it never shifts a page.
      await seed(db, [{ openid: `o_new_${arrivals++}`, status: 'waiting', kfAccount: 'page@x', queuedAt: seconds(base, 86_400) }]);
    });
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);

    // And back again, newer page by newer page, to the first page.
    const last = await listSessionHistory(db, { filter: { agent: 'page@x', status: 'closed' }, timezone: TZ, now: NOW, limit: 10, after: undefined });
    let page = last;
    const forward: number[][] = [page.rows.map((r) => r.id)];
    while (page.older) {
      page = await listSessionHistory(db, { filter: { agent: 'page@x', status: 'closed' }, timezone: TZ, now: NOW, limit: 10, after: page.older });
      forward.push(page.rows.map((r) => r.id));
    }
    const backward: number[][] = [page.rows.map((r) => r.id)];
    while (page.newer) {
      page = await listSessionHistory(db, { filter: { agent: 'page@x', status: 'closed' }, timezone: TZ, now: NOW, limit: 10, before: page.newer });
      backward.unshift(page.rows.map((r) => r.id));
    }
    expect(backward.flat()).toEqual(forward.flat());
  });

  it('round-trips a cursor through the URL to the microsecond and refuses a malformed one', () => {
    const cursor = { queuedAt: '2026-02-01T02:00:00.000250Z', id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('2026-02-01T02:00:00Z~x')).toBeUndefined();
    expect(decodeCursor("2026-02-01'; drop table x~1")).toBeUndefined();
    expect(decodeCursor('2026-02-01T02:00:00Z~99999999999')).toBeUndefined();
  });

  it('filters by date range in the service time zone, agent, status, follower and wait', async () => {
    const db = handle.db;
    // 2026-03-01 23:30 in Shanghai is 15:30 UTC; 2026-03-02 00:30 there is 16:30 UTC the day before.
    const [lateDay1, earlyDay2, waitedLong, dropped, waiting] = await seed(db, [
      { openid: 'o_f_a', status: 'closed', kfAccount: 'f1@x', queuedAt: at('2026-03-01T15:30:00Z'), startedAt: at('2026-03-01T15:30:20Z'), endedAt: at('2026-03-01T15:40:00Z') },
      { openid: 'o_f_b', status: 'closed', kfAccount: 'f2@x', queuedAt: at('2026-03-01T16:30:00Z'), startedAt: at('2026-03-01T16:31:00Z'), endedAt: at('2026-03-01T16:50:00Z') },
      { openid: 'o_f_a', status: 'closed', kfAccount: 'f1@x', queuedAt: at('2026-03-02T02:00:00Z'), startedAt: at('2026-03-02T02:12:00Z'), endedAt: at('2026-03-02T02:30:00Z') },
      { openid: 'o_f_c', status: 'abandoned', queuedAt: at('2026-03-02T03:00:00Z'), endedAt: at('2026-03-02T03:01:00Z') },
      { openid: 'o_f_d', status: 'waiting', queuedAt: at('2026-03-09T23:40:00Z'), waitExpiresAt: at('2026-03-10T00:10:00Z') },
    ]);
    const ids = async (filter: SessionFilter) =>
      (await listSessionHistory(db, { filter: { from: '2026-03-01', to: '2026-03-12', ...filter }, timezone: TZ, now: NOW })).rows.map((r) => r.id);

    expect(await ids({ from: '2026-03-01', to: '2026-03-01' })).toEqual([lateDay1]);
    expect(await ids({ from: '2026-03-02', to: '2026-03-02' })).toEqual([dropped, waitedLong, earlyDay2]);
    expect(await ids({ agent: 'f1@x' })).toEqual([waitedLong, lateDay1]);
    expect(await ids({ status: 'dropped' })).toEqual([dropped]);
    expect(await ids({ status: 'waiting' })).toEqual([waiting]);
    expect(await ids({ openid: 'o_f_a' })).toEqual([waitedLong, lateDay1]);
    // Waited: 20 s, 60 s, 12 min, 1 min until dropped, and 20 min so far for the one still waiting.
    expect(await ids({ waitedOverMinutes: 10 })).toEqual([waiting, waitedLong]);
    expect(await ids({ waitedOverMinutes: 15 })).toEqual([waiting]);
    expect(await ids({ agent: 'f1@x', status: 'closed', from: '2026-03-02', to: '2026-03-02' })).toEqual([waitedLong]);
    expect((await listSessionHistory(db, { filter: { from: '2026-03-01', to: '2026-03-12' }, timezone: TZ, now: NOW })).rows.find((r) => r.id === dropped)?.status).toBe('dropped');
  });

  it('filters by follower: the openid exactly, or the start of a remark in any case, keyset-paged, with the remark on each row', async () => {
    const db = handle.db;
    const q = at('2026-02-10T08:00:00Z');
    await db.insert(followers).values([
      { openid: 'o_r_alice', remark: 'Alice Wang' },
      { openid: 'o_r_ali', remark: 'alice li' },
      { openid: 'o_r_wang', remark: '王女士' },
      { openid: 'o_r_pct', remark: '50%_off' },
      { openid: 'o_r_none' },
    ]);
    const [aliceOld, ali, wang, pct, none, aliceNew] = await seed(
      db,
      ['o_r_alice', 'o_r_ali', 'o_r_wang', 'o_r_pct', 'o_r_none', 'o_r_alice'].map((openid, i) => ({ openid, status: 'closed' as const, queuedAt: seconds(q, i) })),
    );
    const ids = async (follower: string) => (await listSessionHistory(db, { filter: { follower }, timezone: TZ, now: NOW })).rows.map((r) => r.id);

    expect(await ids('ALI')).toEqual([aliceNew, ali, aliceOld]);
    expect(await ids('alice w')).toEqual([aliceNew, aliceOld]);
    expect(await ids('王')).toEqual([wang]);
    expect(await ids('o_r_none')).toEqual([none]);
    // A prefix, not anywhere inside; % and _ are the characters typed, not LIKE's wildcards.
    expect(await ids('li')).toEqual([]);
    expect(await ids('50%')).toEqual([pct]);
    expect(await ids('5_%')).toEqual([]);
    expect(await ids('o_r_')).toEqual([]);
    expect(await walk(db, { follower: 'ali' }, 1)).toEqual([aliceNew, ali, aliceOld]);
    expect(await countSessionHistory(db, { filter: { follower: 'Ali' }, timezone: TZ, now: NOW })).toEqual({ count: 3, capped: false });
    const rows = (await listSessionHistory(db, { filter: { follower: 'ali' }, timezone: TZ, now: NOW })).rows;
    expect(rows.map((r) => r.remark)).toEqual(['Alice Wang', 'alice li', 'Alice Wang']);
    expect((await listSessionHistory(db, { filter: { follower: 'o_r_none' }, timezone: TZ, now: NOW })).rows[0]?.remark).toBeNull();
  });

  it('takes at most REMARK_MATCH_CAP followers for one remark prefix (the first by remark), and says when more matched', async () => {
    const db = handle.db;
    const openids = Array.from({ length: REMARK_MATCH_CAP + 1 }, (_, i) => `o_cap_r_${String(i).padStart(3, '0')}`);
    await db.insert(followers).values(openids.map((openid, i) => ({ openid, remark: `Zed ${String(i).padStart(3, '0')}` })));
    const sessionIds = await seed(db, openids.map((openid) => ({ openid, status: 'closed' as const, queuedAt: at('2026-01-20T00:00:00Z') })));
    expect(await countSessionHistory(db, { filter: { follower: 'zed' }, timezone: TZ, now: NOW })).toEqual({ count: REMARK_MATCH_CAP, capped: false });
    // The one left out is the last by remark, Zed 200.
    expect((await walk(db, { follower: 'zed' }, 50)).sort((a, b) => a - b)).toEqual(sessionIds.slice(0, REMARK_MATCH_CAP).sort((a, b) => a - b));
    const last = await listSessionHistory(db, { filter: { follower: `Zed ${REMARK_MATCH_CAP}` }, timezone: TZ, now: NOW });
    expect(last.rows.map((r) => r.openid)).toEqual([openids.at(-1)]);
    expect(await remarkMatchesOverCap(db, 'zed')).toBe(true);
    expect(await remarkMatchesOverCap(db, 'zed 1')).toBe(false);
  });

  it('counts up to the cap, then says there are more', async () => {
    const db = handle.db;
    await seed(db, Array.from({ length: 6 }, (_, i) => ({ openid: `o_cap_${i}`, status: 'closed' as const, kfAccount: 'cap@x', queuedAt: at('2026-01-05T00:00:00Z') })));
    expect(await countSessionHistory(db, { filter: { agent: 'cap@x' }, timezone: TZ, now: NOW, cap: 10 })).toEqual({ count: 6, capped: false });
    expect(await countSessionHistory(db, { filter: { agent: 'cap@x' }, timezone: TZ, now: NOW, cap: 5 })).toEqual({ count: 5, capped: true });
  });

  it('builds a timeline: queued with the place told, alerts and to whom, accepted, switched, closed; and the messages we sent', async () => {
    const db = handle.db;
    await db.insert(agents).values([
      { kfAccount: 'ann@x', nickname: 'Ann', status: 'active', kfOpenid: 'o_agent_ann' },
      { kfAccount: 'bob@x', nickname: 'Bob', status: 'active', kfOpenid: 'o_agent_bob' },
    ]);
    const q = at('2026-03-05T01:00:00Z');
    // Two followers already waiting when ours queued, one of them accepted before: place 2.
    await seed(db, [
      { openid: 'o_t_ahead1', status: 'closed', queuedAt: seconds(q, -120), startedAt: seconds(q, -10), endedAt: seconds(q, 100) },
      { openid: 'o_t_ahead2', status: 'closed', queuedAt: seconds(q, -60), startedAt: seconds(q, 30), endedAt: seconds(q, 100) },
    ]);
    const [id, neighbour] = await seed(db, [
      { openid: 'o_t_fan', status: 'closed', kfAccount: 'bob@x', closedByKfAccount: 'bob@x', queuedAt: q, startedAt: seconds(q, 45), endedAt: seconds(q, 600), endReason: 'agent_closed' },
      { openid: 'o_t_other', status: 'waiting', queuedAt: seconds(q, 1) },
    ]);
    await recordSessionSwitch(db, { sessionId: id!, from: 'ann@x', to: 'bob@x', at: seconds(q, 300) });
    await db.insert(outbox).values([
      { kind: 'queue_position', openid: 'o_t_fan', payload: { whileWaiting: id }, status: 'sent', createdAt: q, sentAt: q },
      { kind: 'agent_alert', openid: 'o_agent_ann', payload: { whileWaiting: id }, status: 'sent', createdAt: q, sentAt: q },
      { kind: 'agent_alert', openid: 'o_agent_bob', payload: { whileWaiting: id }, status: 'failed', lastErrcode: 45015, createdAt: q },
      { kind: 'agent_alert', openid: 'o_agent_bob', payload: { whileWaiting: neighbour }, status: 'sent', createdAt: seconds(q, 1) },
      { kind: 'greeting', openid: 'o_t_fan', payload: {}, status: 'sent', createdAt: seconds(q, 45), sentAt: seconds(q, 46) },
      { kind: 'closing', openid: 'o_t_fan', payload: {}, status: 'failed', lastErrcode: 45047, createdAt: seconds(q, 600) },
    ]);

    const detail = await loadSessionDetail(db, { id: id!, now: NOW });
    expect(detail?.timeline.map((e) => e.kind)).toEqual(['queued', 'alert', 'alert', 'accepted', 'switched', 'closed']);
    expect(detail?.timeline[0]).toMatchObject({ kind: 'queued', position: 2 });
    expect(detail?.timeline.filter((e) => e.kind === 'alert')).toMatchObject([
      { to: 'Ann', status: 'sent' },
      { to: 'Bob', status: 'failed', errcode: 45015 },
    ]);
    expect(detail?.timeline[3]).toMatchObject({ kind: 'accepted', by: 'ann@x' });
    expect(detail?.timeline[4]).toMatchObject({ kind: 'switched', from: 'ann@x', to: 'bob@x' });
    expect(detail?.timeline[5]).toMatchObject({ kind: 'closed', by: 'bob@x' });
    expect(detail?.messages.map((m) => [m.kind, m.status, m.lastErrcode])).toEqual([
      ['queue_position', 'sent', null],
      ['agent_alert', 'sent', null],
      ['agent_alert', 'failed', 45015],
      ['greeting', 'sent', null],
      ['closing', 'failed', 45047],
    ]);
    expect(detail?.others).toEqual([]);
    expect(detail?.transcriptArriving).toBe(false);
    expect(await loadSessionDetail(db, { id: 999_999, now: NOW })).toBeUndefined();
  });

  it('exports exactly the filtered list as CSV with a BOM, RFC 4180 quoting and the formula guard, and audits it', async () => {
    const db = handle.db;
    const [user] = await db.insert(users).values({ email: 'op@csv.test', name: 'Op', role: 'operator', passwordHash: 'x' }).returning({ id: users.id });
    await db.insert(followers).values({ openid: 'o_csv_1', remark: '=王女士' });
    await seed(db, [
      // Closed from the console by Op: closed_by is the account WeChat closed under, ended_by_staff Op.
      { openid: 'o_csv_1', status: 'closed', kfAccount: '=cmd|x@y', closedByKfAccount: 'a,"b"', queuedAt: at('2026-02-20T01:00:00Z'), startedAt: at('2026-02-20T01:00:30Z'), endedAt: at('2026-02-20T01:05:30Z'), endReason: 'closed_by_staff', endedByUserId: user!.id },
      { openid: 'o_csv_2', status: 'expired', kfAccount: '=cmd|x@y', queuedAt: at('2026-02-20T02:00:00Z'), endedAt: at('2026-02-20T02:30:00Z'), endReason: 'wait_expired' },
      { openid: 'o_csv_3', status: 'closed', kfAccount: 'other@y', queuedAt: at('2026-02-20T03:00:00Z') },
    ]);
    const stream = exportSessionsCsv(db, { filter: { agent: '=cmd|x@y' }, timezone: TZ, now: NOW, userId: user!.id, batchSize: 1 });
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('session_id,openid,status,end_reason,queued_at,waited_seconds,agents,accepted_at,ended_at,handled_seconds,closed_by,remark,ended_by_staff');
    expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual(['o_csv_2', 'o_csv_1']);
    expect(lines[2]).toContain(`,closed,closed_by_staff,2026-02-20 09:00:00,30,'=cmd|x@y,2026-02-20 09:00:30,2026-02-20 09:05:30,300,"a,""b""",'=王女士,Op`);
    expect(lines[1]).toMatch(/,wait_expired,.*,$/);
    expect(lines.at(-1)).toBe('');

    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'sessions.export')).orderBy(desc(auditLog.id)).limit(1);
    expect(entry?.userId).toBe(user!.id);
    expect(JSON.parse(entry!.detail!)).toEqual({ filter: { agent: '=cmd|x@y' }, rows: 2, outcome: 'complete' });

    // A download cancelled while a batch is being read: audited as cancelled, from the requester's address.
    const reader = exportSessionsCsv(db, { filter: {}, timezone: TZ, now: NOW, userId: user!.id, ip: '10.0.0.9', batchSize: 1 }).getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    await pending;
    const [cancelled] = await db.select().from(auditLog).where(eq(auditLog.action, 'sessions.export')).orderBy(desc(auditLog.id)).limit(1);
    expect(JSON.parse(cancelled!.detail!)).toMatchObject({ outcome: 'cancelled' });
    expect(cancelled?.ip).toBe('10.0.0.9');
  });
});
