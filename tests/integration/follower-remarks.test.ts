// Follower remarks against the fake WeChat over HTTP, on both engines: the sync reads them in
// batches of 100 for exactly the followers it should (open session, or one in the last week, not read
// for a day), within its call budget, finds an openid WeChat does not know without losing the rest,
// stands down while WeChat is unreachable; the console's edit sets the remark at WeChat, stores it,
// audits it and tells open Live pages.
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL, subscribe } from '@/db/listen';
import { auditLog, customerSessions, followers, users } from '@/db/schema';
import { syncFollowerRemarks } from '@/lib/kf/follower-remark-sync';
import { saveRemarks, setFollowerRemark } from '@/lib/kf/follower-remarks';
import { WechatApiError } from '@/lib/wechat/errors';
import { DomainError } from '@/lib/errors';
import { emptiedForEachTest, testDatabases } from './databases';
import { startKfHarness, type KfHarness } from './kf-harness';

const BATCHGET = '/cgi-bin/user/info/batchget';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe.each(testDatabases)('follower remarks on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let h: KfHarness;
  /** When the last sync ran (by the fake's clock): what it stamps on the followers it read. */
  let ranAt: Date;
  const now = () => new Date(h.sim.clock.now());
  const sync = (scope: 'open' | 'recent', maxCalls?: number) => {
    const at = (ranAt = now());
    return syncFollowerRemarks({ database: h.database, kf: h.runtime.kf, scope, now: () => at, maxCalls });
  };
  const asked = () => h.sim.calls({ path: BATCHGET }).map((c) => (c.body as { user_list: { openid: string }[] }).user_list.map((u) => u.openid));
  const stored = async (openids: string[]) =>
    new Map(
      (await h.database.db.select({ openid: followers.openid, remark: followers.remark, checkedAt: followers.remarkCheckedAt }).from(followers).where(inArray(followers.openid, openids))).map(
        (r) => [r.openid, r] as const,
      ),
    );

  /**
   * Followers wekf knows (a followers row and a session `ago` ms back, open or closed) and WeChat
   * knows (unless `unknownToWechat`), with the remark staff gave them in WeChat's admin.
   */
  async function seed(prefix: string, count: number, opts: { open: boolean; ago: number; checkedAgo?: number; remark?: (i: number) => string; unknownToWechat?: boolean }) {
    const openids = Array.from({ length: count }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
    const at = new Date(h.sim.clock.now() - opts.ago);
    const checkedAt = opts.checkedAgo === undefined ? null : new Date(h.sim.clock.now() - opts.checkedAgo);
    await h.database.db.insert(followers).values(openids.map((openid) => ({ openid, lastInteractionAt: at, remarkCheckedAt: checkedAt })));
    await h.database.db.insert(customerSessions).values(
      openids.map((openid) => (opts.open ? { openid, status: 'waiting' as const, queuedAt: at } : { openid, status: 'closed' as const, queuedAt: at, endedAt: at })),
    );
    if (!opts.unknownToWechat) openids.forEach((openid, i) => h.sim.follower(openid).setRemark(opts.remark?.(i) ?? ''));
    return openids;
  }

  beforeEach(async () => {
    h = await startKfHarness(testDb);
  });
  afterEach(() => h.close());

  it('reads remarks 100 a call for followers with an open session, then the last week’s, each at most once a day', async () => {
    const open = await seed('o_open', 150, { open: true, ago: 5 * 60_000, remark: (i) => (i % 2 === 0 ? `开放 ${i}` : '') });
    const week = await seed('o_week', 30, { open: false, ago: 3 * DAY, remark: (i) => `Week ${i}` });
    const stale = await seed('o_stale', 5, { open: false, ago: 2 * DAY, checkedAgo: 2 * DAY, remark: () => 'Stale' });
    const old = await seed('o_old', 20, { open: false, ago: 10 * DAY, remark: () => 'Old' });
    const fresh = await seed('o_fresh', 10, { open: true, ago: HOUR, checkedAgo: HOUR, remark: () => 'Fresh' });

    const first = await sync('open');
    expect(first).toMatchObject({ scope: 'open', calls: 2, checked: 150, changed: 75, unknown: 0 });
    expect(asked().map((batch) => batch.length)).toEqual([100, 50]);
    expect(new Set(asked().flat())).toEqual(new Set(open));
    const openRows = await stored(open);
    expect(openRows.get('o_open_000')).toMatchObject({ remark: '开放 0', checkedAt: ranAt });
    expect(openRows.get('o_open_001')).toMatchObject({ remark: null, checkedAt: ranAt });

    const second = await sync('recent');
    expect(second).toMatchObject({ scope: 'recent', calls: 1, checked: 35, changed: 35 });
    expect(new Set(asked()[2])).toEqual(new Set([...week, ...stale]));
    for (const never of [...old, ...fresh]) expect(asked().flat()).not.toContain(never);
    expect((await stored(week)).get('o_week_007')?.remark).toBe('Week 7');
    expect((await stored(old)).get('o_old_000')).toMatchObject({ remark: null, checkedAt: null });

    // Nothing is due again until a day has passed; then the open and recent ones are read again.
    expect(await sync('recent')).toMatchObject({ calls: 0, checked: 0 });
    h.sim.clock.advance(DAY + 60_000);
    h.sim.follower('o_week_007').setRemark('Renamed in WeChat');
    const later = await sync('recent');
    expect(later.checked).toBe(150 + 30 + 5 + 10);
    expect(later.changed).toBe(1 + 10);
    expect((await stored(['o_week_007'])).get('o_week_007')?.remark).toBe('Renamed in WeChat');
  });

  it('names within a minute a follower whose session ended since the last runs, not one ended long ago', async () => {
    const justClosed = await seed('o_just', 2, { open: false, ago: 2 * 60_000, remark: (i) => `刚走 ${i}` });
    const closedEarlier = await seed('o_earlier', 2, { open: false, ago: 20 * 60_000, remark: () => 'Earlier' });

    expect(await sync('open')).toMatchObject({ scope: 'open', calls: 1, checked: 2, changed: 2 });
    expect(new Set(asked().flat())).toEqual(new Set(justClosed));
    expect((await stored(justClosed)).get('o_just_001')?.remark).toBe('刚走 1');
    expect((await stored(closedEarlier)).get('o_earlier_000')?.checkedAt).toBeNull();
  });

  it('makes at most maxCalls calls a run, and the next run carries on with those not yet read', async () => {
    const open = await seed('o_budget', 150, { open: true, ago: 60_000, remark: (i) => `B${i}` });
    expect(await sync('open', 1)).toMatchObject({ calls: 1, checked: 100 });
    expect(await sync('open', 1)).toMatchObject({ calls: 1, checked: 50 });
    expect(new Set(asked().flat())).toEqual(new Set(open));
    expect(asked().flat()).toHaveLength(150);
  });

  it('finds the one openid WeChat does not know by halving its batch, keeps its remark, and stores everyone else', async () => {
    const known = await seed('o_known', 10, { open: true, ago: 60_000, remark: (i) => `K${i}` });
    const [ghost] = await seed('o_ghost', 1, { open: true, ago: 30_000, unknownToWechat: true });
    await h.database.db.update(followers).set({ remark: 'Set before' }).where(eq(followers.openid, ghost!));

    const result = await sync('open');
    expect(result).toMatchObject({ checked: 11, unknown: 1 });
    expect(asked()[0]).toHaveLength(11);
    expect(asked().filter((batch) => batch.length === 1 && batch[0] === ghost)).toHaveLength(1);
    const rows = await stored([...known, ghost!]);
    expect(rows.get(ghost!)).toMatchObject({ remark: 'Set before', checkedAt: ranAt });
    for (const [i, openid] of known.entries()) expect(rows.get(openid)?.remark).toBe(`K${i}`);
    expect(await sync('open')).toMatchObject({ calls: 0 });
  });

  it('keeps the remark of a follower who unfollowed (WeChat no longer says it)', async () => {
    const [gone] = await seed('o_gone', 1, { open: true, ago: 60_000, remark: () => 'Left us' });
    await h.database.db.update(followers).set({ remark: 'Left us' }).where(eq(followers.openid, gone!));
    await h.sim.follower(gone!).unsubscribe();
    expect(await sync('open')).toMatchObject({ checked: 1, changed: 0 });
    expect((await stored([gone!])).get(gone!)).toMatchObject({ remark: 'Left us', checkedAt: ranAt });
  });

  it('stands down while WeChat is unreachable, marking nobody read; a quota refusal fails the run', async () => {
    const open = await seed('o_down', 3, { open: true, ago: 60_000, remark: () => 'Down' });
    h.sim.faults.inject({ path: BATCHGET, drop: true });
    expect(await sync('open')).toMatchObject({ skipped: 'wechat_unreachable', checked: 0 });
    h.sim.faults.inject({ path: BATCHGET, errcode: 45009 });
    await expect(sync('open')).rejects.toMatchObject({ name: 'WechatApiError', errcode: 45009 });
    for (const row of (await stored(open)).values()) expect(row.checkedAt).toBeNull();
    expect(await sync('open')).toMatchObject({ checked: 3 });
  });

  it('tells open Live pages when a waiting follower gets a name', async () => {
    const [named] = await seed('o_live', 1, { open: true, ago: 60_000, remark: () => '王女士' });
    const [session] = await h.database.db.select({ id: customerSessions.id }).from(customerSessions).where(eq(customerSessions.openid, named!));
    const payloads: string[] = [];
    const stop = await subscribe(h.database, CHANNEL.live, (p) => payloads.push(p));
    try {
      await sync('open');
      await waitFor(() => payloads.some((p) => p.includes('"remarks"')));
      expect(JSON.parse(payloads.find((p) => p.includes('"remarks"'))!)).toEqual({ kind: 'remarks', ids: [session!.id], more: false });
      // Read again unchanged a day later: nothing to tell.
      h.sim.clock.advance(DAY + 60_000);
      payloads.length = 0;
      await sync('open');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(payloads.filter((p) => p.includes('"remarks"'))).toEqual([]);
    } finally {
      await stop();
    }
  });

  it('does not put back a remark read before staff renamed the follower', async () => {
    const [renamed] = await seed('o_race', 1, { open: true, ago: 60_000, remark: () => 'Old name' });
    const askedAt = now();
    h.sim.clock.advance(1000);
    await h.database.db.update(followers).set({ remark: 'New name', remarkCheckedAt: now() }).where(eq(followers.openid, renamed!));
    const written = await h.database.db.transaction((tx) => saveRemarks(tx, [{ openid: renamed!, remark: 'Old name' }], askedAt));
    expect(written).toEqual([]);
    expect((await stored([renamed!])).get(renamed!)?.remark).toBe('New name');
  });

  describe('the console’s edit', () => {
    async function staffAndSession(openid: string) {
      await seed(openid, 1, { open: true, ago: 60_000 });
      const [user] = await h.database.db.insert(users).values({ email: `${openid}@remark.test`, name: 'Op', role: 'operator', passwordHash: 'x' }).returning({ id: users.id });
      const [session] = await h.database.db.select({ id: customerSessions.id }).from(customerSessions).where(eq(customerSessions.openid, `${openid}_000`));
      return { user: user!, sessionId: session!.id, openid: `${openid}_000` };
    }
    const audits = (openid: string) =>
      h.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'follower.remark'), eq(auditLog.target, openid)));

    it('sets the remark at WeChat, stores it, and audits before → after; an empty one clears it', async () => {
      const { user, sessionId, openid } = await staffAndSession('o_edit');
      const at = now();
      await setFollowerRemark(h.database.db, h.runtime.kf, user, { sessionId, remark: '王女士 VIP' }, at);
      expect(h.sim.snapshot().followers.find((f) => f.openid === openid)?.remark).toBe('王女士 VIP');
      expect((await stored([openid])).get(openid)).toMatchObject({ remark: '王女士 VIP', checkedAt: at });

      await setFollowerRemark(h.database.db, h.runtime.kf, user, { sessionId, remark: '' }, now());
      expect(h.sim.snapshot().followers.find((f) => f.openid === openid)?.remark).toBe('');
      expect((await stored([openid])).get(openid)?.remark).toBeNull();

      const lines = await audits(openid);
      expect(lines.map((l) => [l.userId, l.detail, l.changes])).toEqual([
        [user.id, `session:${sessionId}`, { before: { remark: null }, after: { remark: '王女士 VIP' } }],
        [user.id, `session:${sessionId}`, { before: { remark: '王女士 VIP' }, after: { remark: null } }],
      ]);
    });

    it('stores and audits nothing when WeChat refuses; an unknown session is not found', async () => {
      const { user, sessionId, openid } = await staffAndSession('o_refused');
      await h.sim.follower(openid).unsubscribe();
      const refused = setFollowerRemark(h.database.db, h.runtime.kf, user, { sessionId, remark: '张先生' }, now());
      await expect(refused).rejects.toBeInstanceOf(WechatApiError);
      await expect(refused).rejects.toMatchObject({ errcode: 43004 });
      expect((await stored([openid])).get(openid)).toMatchObject({ remark: null, checkedAt: null });
      expect(await audits(openid)).toEqual([]);

      await expect(setFollowerRemark(h.database.db, h.runtime.kf, user, { sessionId: 999_999, remark: 'x' }, now())).rejects.toBeInstanceOf(DomainError);
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
