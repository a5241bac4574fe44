// The transcript pull against the fake WeChat over HTTP: a follower queues, an agent accepts, they
// talk, the agent closes; the pull stores the chat records once, attached to that session, in
// 24-hour windows resumed from their msgid cursor, never asking for what WeChat no longer keeps.
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerSessions, sessionMessages, transcriptSyncWindows, users } from '@/db/schema';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { pullTranscriptsNow, RECORD_RETENTION_SECONDS, runTranscriptSync, syncTranscripts } from '@/lib/kf/transcripts';
import { emptiedForEachTest, testDatabases } from './databases';
import { startKfHarness, type KfHarness } from './kf-harness';

const PATH = '/customservice/msgrecord/getmsglist';
type RecordRequest = { starttime: number; endtime: number; msgid: number; number: number };

describe.each(testDatabases)('transcript pull on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let h: KfHarness;
  let agent: string;
  const now = () => new Date(h.sim.clock.now());
  const sync = () => syncTranscripts({ database: h.database, kf: h.runtime.kf, now });
  const requests = () => h.sim.calls({ path: PATH }).map((c) => c.body as RecordRequest);
  const lines = () => h.database.db.select().from(sessionMessages).orderBy(asc(sessionMessages.sentAt), asc(sessionMessages.id));

  beforeEach(async () => {
    h = await startKfHarness(testDb);
    agent = await h.addAgent('amy');
  });
  afterEach(() => h.close());

  async function conversation(openid: string, texts: [string, string][]) {
    await h.sim.follower(openid).sendText('客服');
    await h.drainOutbox();
    await h.sim.agents.accept(agent, openid);
    for (const [asked, answered] of texts) {
      await h.sim.follower(openid).sendText(asked);
      await h.sim.agents.send(agent, openid, answered);
    }
    await h.sim.agents.close(agent, openid);
    const [session] = await h.database.db.select().from(customerSessions).where(eq(customerSessions.openid, openid)).orderBy(asc(customerSessions.id));
    return session!;
  }

  it('stores a conversation once, attached to its session, follower and agent lines in order', async () => {
    const session = await conversation('o_fan', [
      ['我的订单没到', '请稍等，我查一下'],
      ['好的', '已经发货了'],
    ]);
    const first = await sync();
    expect(first.added).toBeGreaterThanOrEqual(4);
    const stored = await lines();
    const talk = stored.filter((l) => ['我的订单没到', '请稍等，我查一下', '好的', '已经发货了'].includes(l.text));
    expect(talk.map((l) => [l.opercode, l.text])).toEqual([
      [2003, '我的订单没到'],
      [2002, '请稍等，我查一下'],
      [2003, '好的'],
      [2002, '已经发货了'],
    ]);
    expect(new Set(talk.map((l) => l.sessionId))).toEqual(new Set([session.id]));
    expect(talk.find((l) => l.opercode === 2002)?.kfAccount).toBe(agent);

    const again = await sync();
    expect(again.added).toBe(0);
    expect(await lines()).toHaveLength(stored.length);

    // Even with the cursors lost, records fetched again are recognised by their key.
    await h.database.db.delete(transcriptSyncWindows);
    const refetched = await sync();
    expect(refetched.fetched).toBeGreaterThanOrEqual(4);
    expect(refetched.added).toBe(0);
    expect(await lines()).toHaveLength(stored.length);
  });

  it('a follower who asks again right after a close: each chat\'s lines go to its own session', async () => {
    const first = await conversation('o_again', [['第一次的问题', '第一次的回答']]);
    // Asked again a few seconds on: the new session's margin (5 s before its queueing) reaches back
    // over the first chat's last lines.
    h.sim.clock.advance(3_000);
    await conversation('o_again', [['第二次的问题', '第二次的回答']]);
    const [, second] = await h.database.db.select().from(customerSessions).where(eq(customerSessions.openid, 'o_again')).orderBy(asc(customerSessions.id));
    await sync();
    const sessionOf = async (text: string) => (await lines()).find((l) => l.text === text)?.sessionId;
    expect([await sessionOf('第一次的问题'), await sessionOf('第一次的回答')]).toEqual([first.id, first.id]);
    expect([await sessionOf('第二次的问题'), await sessionOf('第二次的回答')]).toEqual([second!.id, second!.id]);
  });

  it("pulled from a session's page, says every chat's new lines and that session's", async () => {
    const here = await conversation('o_here', [
      ['在吗', '在的'],
      ['退款呢', '已处理'],
    ]);
    await conversation('o_there', [['你好', '您好']]);
    const [user] = await h.database.db.insert(users).values({ email: 'lead@pull.test', name: 'Lead', role: 'operator', passwordHash: 'x' }).returning({ id: users.id });
    const pulled = await pullTranscriptsNow(h.database, h.runtime.kf, { userId: user!.id, sessionId: here.id });
    const stored = await lines();
    expect(pulled).toEqual({ busy: false, added: stored.length, here: stored.filter((l) => l.sessionId === here.id).length });
    expect(pulled.here).toBeGreaterThanOrEqual(4);
    expect(pulled.added).toBeGreaterThan(pulled.here);
    // Nothing new the second time, here or anywhere.
    expect(await pullTranscriptsNow(h.database, h.runtime.kf, { userId: user!.id, sessionId: here.id })).toEqual({ busy: false, added: 0, here: 0 });
  });

  it('resumes a window from its msgid cursor instead of asking from the start again', async () => {
    await conversation('o_one', [['first question', 'first answer']]);
    await sync();
    const before = requests().length;
    await conversation('o_two', [['second question', 'second answer']]);
    const second = await sync();
    const today = requests().slice(before).at(-1)!;
    expect(today.msgid).toBeGreaterThan(1);
    expect(second.fetched).toBe(second.added);
    expect((await lines()).map((l) => l.text)).toEqual(expect.arrayContaining(['first answer', 'second answer']));
  });

  it('walks 24-hour windows, each request within 24 hours, and finishes a window once its day is past', async () => {
    await conversation('o_day1', [['day one', 'answer one']]);
    await sync();
    h.sim.clock.advance(26 * 3600_000);
    await conversation('o_day2', [['day two', 'answer two']]);
    await sync();
    for (const r of requests()) expect(r.endtime - r.starttime).toBeLessThanOrEqual(86_400);
    const texts = (await lines()).map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(['day one', 'answer one', 'day two', 'answer two']));
    const windows = await h.database.db.select().from(transcriptSyncWindows).orderBy(asc(transcriptSyncWindows.windowStart));
    const yesterday = windows.find((w) => w.windowStart + 86_400 + 15 * 60 <= h.sim.clock.now() / 1000 && w.records > 0);
    expect(yesterday?.completedAt).toBeInstanceOf(Date);
    expect(windows.at(-1)?.completedAt).toBeNull();
  });

  it('never asks for records older than WeChat keeps (30 days)', async () => {
    await conversation('o_old', [['old question', 'old answer']]);
    h.sim.clock.advance(31 * 86_400_000);
    await conversation('o_new', [['new question', 'new answer']]);
    await sync();
    const nowS = Math.floor(h.sim.clock.now() / 1000);
    expect(requests().length).toBeGreaterThan(0);
    for (const r of requests()) expect(r.starttime).toBeGreaterThanOrEqual(nowS - RECORD_RETENTION_SECONDS);
    const texts = (await lines()).map((l) => l.text);
    expect(texts).toContain('new answer');
    expect(texts).not.toContain('old answer');
  });

  it('keeps the same line sent twice in one second, and stores nothing twice when two runners race', async () => {
    await h.sim.follower('o_twice').sendText('客服');
    await h.drainOutbox();
    await h.sim.agents.accept(agent, 'o_twice');
    await h.sim.agents.send(agent, 'o_twice', 'ok');
    await h.sim.agents.send(agent, 'o_twice', 'ok');
    const [a, b] = await Promise.all([runTranscriptSync(h.database, h.runtime.kf, now), runTranscriptSync(h.database, h.runtime.kf, now)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    await runTranscriptSync(h.database, h.runtime.kf, now);
    expect((await lines()).filter((l) => l.text === 'ok').map((l) => l.occurrence)).toEqual([0, 1]);
  });

  it('records a switch pushed by WeChat, so the timeline shows who accepted, who took over and who closed', async () => {
    const ben = await h.addAgent('ben');
    await h.sim.follower('o_switch').sendText('客服');
    await h.drainOutbox();
    await h.sim.agents.accept(agent, 'o_switch');
    await h.sim.agents.switchTo(agent, 'o_switch', ben);
    await h.sim.settled();
    await h.sim.agents.close(ben, 'o_switch');
    await h.sim.settled();
    const [session] = await h.database.db.select().from(customerSessions).where(eq(customerSessions.openid, 'o_switch'));
    const detail = await loadSessionDetail(h.database.db, { id: session!.id, now: now() });
    const kinds = detail!.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['queued', 'accepted', 'switched', 'closed']));
    expect(detail!.timeline.find((e) => e.kind === 'accepted')).toMatchObject({ by: agent });
    expect(detail!.timeline.find((e) => e.kind === 'switched')).toMatchObject({ from: agent, to: ben });
    expect(detail!.timeline.find((e) => e.kind === 'closed')).toMatchObject({ by: ben });
  });
});
