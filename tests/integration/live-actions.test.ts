// The live page's actions and the reconciliation job, against the fake WeChat over HTTP and a real
// database: assign and close go through WeChat and come back as its kf_* events; drop ends the wait
// here; WeChat's refusals come back as their meaning; drift from a missed event is corrected.
import { listSessionEvents } from '@/db/queries/session-timeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { eq } from 'drizzle-orm';
import { findAgentByAccount } from '@/db/queries/agents';
import { agents } from '@/db/schema';
import { listAudit } from '@/db/queries/audit-log';
import { listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { readLiveQueue } from '@/db/queries/live-queue';
import { createUser } from '@/db/queries/users';
import { DomainError } from '@/lib/errors';
import { assignWaitingFollower, closeLiveSession, dropWaitingFollower } from '@/lib/kf/live-actions';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { reconcileSessions } from '@/lib/kf/reconcile';
import { kfApiFor } from '@/lib/wechat-account/api-client';
import type { KfApi } from '@/lib/wechat/kf-api';
import { accountOfSim } from '@/lib/sandbox';
import { testDatabases } from './databases';
import { startKfHarness, type KfHarness } from './kf-harness';

async function openSession(database: DatabaseHandle, openid: string) {
  const sessions = await listSessionsByOpenid(database.db, { openid });
  return sessions.at(-1)!;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe.each(testDatabases)('live actions and reconciliation on $kind', (testDb) => {
  let h: KfHarness;
  let staff: { id: number };
  let wang: string;
  let li: string;
  beforeAll(async () => {
    h = await startKfHarness(testDb);
    staff = await createUser(h.database.db, { email: 'op@live.test', name: 'Operator', passwordHash: 'x', role: 'operator' });
    wang = await h.addAgent('wangwu');
    li = await h.addAgent('lisi');
  });
  afterAll(() => h.close());

  const queue = async (openid: string) => {
    await h.sim.follower(openid).sendText('客服');
    const session = await openSession(h.database, openid);
    expect(session.status).toBe('waiting');
    return session;
  };

  it('an assign WeChat does not answer in time may have happened: said so, and the attempt audited; one that never reached WeChat is not', async () => {
    const session = await queue('o_act_slow');
    const impatient = kfApiFor(accountOfSim(h.sim), () => h.database, { timeoutMs: 300 });
    h.sim.faults.inject({ path: '/customservice/kfsession/create', delayMs: 1000 });
    const noAnswer = await refusal(assignWaitingFollower(h.database.db, impatient, staff, { sessionId: session.id, kfAccount: wang }));
    expect(noAnswer.code).toBe('live.wechatNoAnswer');
    const attempts = (await listAudit(h.database.db, { limit: 20 })).filter((a) => a.action === 'live.assign' && a.target === `session:${session.id}`);
    expect(attempts.map((a) => a.detail)).toEqual([`kf_account=${wang} outcome=unknown`]);
    // WeChat did act, late: its event makes the session active as usual.
    await expect.poll(async () => (await openSession(h.database, 'o_act_slow')).status, { timeout: 5000 }).toBe('active');

    const other = await queue('o_act_unreachable');
    const unreachable = kfApiFor({ ...accountOfSim(h.sim), apiBase: 'http://127.0.0.1:9' }, () => h.database);
    expect((await refusal(assignWaitingFollower(h.database.db, unreachable, staff, { sessionId: other.id, kfAccount: wang }))).code).toBe('live.wechatUnreachable');
    expect((await listAudit(h.database.db, { limit: 20 })).some((a) => a.target === `session:${other.id}`)).toBe(false);
    await dropWaitingFollower(h.database.db, staff, { sessionId: other.id });
  });

  it('assigns a waiting follower through kfsession/create: WeChat accepts, its event makes the session active', async () => {
    const session = await queue('o_act_1');
    await assignWaitingFollower(h.database.db, h.runtime.kf, staff, { sessionId: session.id, kfAccount: wang });
    await h.sim.settled();
    expect(await openSession(h.database, 'o_act_1')).toMatchObject({ id: session.id, status: 'active', kfAccount: wang });
    expect(h.sim.snapshot().sessions.find((s) => s.openid === 'o_act_1')?.kfAccount).toBe(wang);
    const audit = await listAudit(h.database.db, { limit: 5 });
    expect(audit.find((a) => a.action === 'live.assign' && a.target === `session:${session.id}`)).toMatchObject({ userEmail: 'op@live.test' });
    // The session's page says who assigned it, before WeChat's accept.
    const timeline = (await loadSessionDetail(h.database.db, { id: session.id, now: new Date() }))!.timeline;
    expect(timeline.map((e) => e.kind)).toEqual(['queued', 'assigned', 'accepted']);
    expect(timeline.find((e) => e.kind === 'assigned')).toMatchObject({ to: wang, staff: 'Operator' });
  });

  it('shows WeChat refusing to assign to an offline agent (65415) and changes nothing', async () => {
    const session = await queue('o_act_2');
    // Online when wekf last looked; offline in WeChat's tool since.
    await h.database.db.update(agents).set({ online: true }).where(eq(agents.kfAccount, li));
    await h.sim.agents.setOnline(li, false);
    const error = await refusal(assignWaitingFollower(h.database.db, h.runtime.kf, staff, { sessionId: session.id, kfAccount: li }));
    expect(error.code).toBe('live.wechatRefused');
    expect(error.params).toMatchObject({ code: 65415, zh: '客服不在线', en: 'The agent is offline' });
    expect(await openSession(h.database, 'o_act_2')).toMatchObject({ status: 'waiting', kfAccount: null });
    // The agents' lists take WeChat's word at once, not at the next look at who is online.
    expect(await findAgentByAccount(h.database.db, { kfAccount: li })).toMatchObject({ online: false });
    // The attempt is on record, with why it did not happen.
    const [attempt] = (await listAudit(h.database.db, { limit: 5 })).filter((a) => a.action === 'live.assign' && a.target === `session:${session.id}`);
    expect(attempt?.detail).toBe(`kf_account=${li} outcome=refused errcode=65415`);
    await h.sim.agents.setOnline(li, true);
  });

  it('shows WeChat refusing a follower another agent serves (65414)', async () => {
    const session = await queue('o_act_3');
    // WeChat assigned them meanwhile, but the event has not reached us: our row still says waiting.
    h.sim.setWebhook(undefined);
    await h.sim.agents.accept(wang, 'o_act_3');
    h.sim.setWebhook(h.webhookUrl, 'plain');
    const error = await refusal(assignWaitingFollower(h.database.db, h.runtime.kf, staff, { sessionId: session.id, kfAccount: li }));
    expect(error.params).toMatchObject({ code: 65414 });
  });

  it('closes a session through kfsession/close: it ends closed_by_staff with who, and the follower gets the closing text', async () => {
    const session = await openSession(h.database, 'o_act_1');
    await closeLiveSession(h.database.db, h.runtime.kf, staff, { sessionId: session.id });
    await h.sim.settled();
    expect(await openSession(h.database, 'o_act_1')).toMatchObject({
      status: 'closed',
      endReason: 'closed_by_staff',
      endedByUserId: staff.id,
      closedByKfAccount: wang,
    });
    await h.drainOutbox();
    expect(h.sim.deliveries('o_act_1').some((d) => d.source === 'custom')).toBe(true);
    const again = await refusal(closeLiveSession(h.database.db, h.runtime.kf, staff, { sessionId: session.id }));
    expect(again.code).toBe('live.notActive');
  });

  it('drops a waiting follower: the session ends dropped_by_staff with who did it, audited; twice is refused', async () => {
    const session = await queue('o_act_4');
    await dropWaitingFollower(h.database.db, staff, { sessionId: session.id });
    expect(await openSession(h.database, 'o_act_4')).toMatchObject({ status: 'abandoned', endReason: 'dropped_by_staff', endedByUserId: staff.id });
    const audit = await listAudit(h.database.db, { limit: 5 });
    expect(audit.some((a) => a.action === 'live.drop' && a.target === `session:${session.id}`)).toBe(true);
    expect((await refusal(dropWaitingFollower(h.database.db, staff, { sessionId: session.id }))).code).toBe('live.notWaiting');

    // WeChat still had them in its list, and an agent accepts: the session's page names who dropped the wait.
    await h.sim.agents.accept(li, 'o_act_4');
    await h.sim.settled();
    const timeline = (await loadSessionDetail(h.database.db, { id: session.id, now: new Date() }))!.timeline;
    expect(timeline.find((e) => e.kind === 'waitEnded')).toMatchObject({ reason: 'dropped_by_staff', staff: 'Operator' });
    await closeLiveSession(h.database.db, h.runtime.kf, staff, { sessionId: session.id });
    await h.sim.settled();
  });

  it('the live read model lists the queue in order, sessions in progress with their agent, and today\'s counters', async () => {
    const a = await queue('o_read_1');
    const b = await queue('o_read_2');
    await assignWaitingFollower(h.database.db, h.runtime.kf, staff, { sessionId: a.id, kfAccount: wang });
    await h.sim.settled();
    const now = new Date();
    const live = await readLiveQueue(h.database.db, { now, startOfToday: new Date(now.getTime() - 3600_000) });
    const waitingIds = live.waiting.map((w) => w.sessionId);
    expect(waitingIds).toContain(b.id);
    expect(waitingIds).not.toContain(a.id);
    expect([...waitingIds].sort((x, y) => x - y)).toEqual(waitingIds); // queue order = arrival order here
    expect(live.active.find((s) => s.sessionId === a.id)).toMatchObject({ kfAccount: wang, openid: 'o_read_1' });
    expect(live.counters.waiting).toBe(live.waiting.length);
    expect(live.counters.active).toBe(live.active.length);
    expect(live.counters.servedToday).toBeGreaterThanOrEqual(2); // o_act_1 and o_read_1 at least
    expect(live.counters.oldestQueuedAt?.getTime()).toBe(live.waiting[0]!.queuedAt.getTime());
    expect(live.agents.map((x) => x.kfAccount).sort()).toEqual([li, wang].sort());
    await dropWaitingFollower(h.database.db, staff, { sessionId: b.id });
  });

  describe('reconciliation', () => {
    /** A run a little after the changes before it, as the job makes them every few minutes. */
    const reconcileLater = () => {
      h.sim.clock.advance(5_000);
      return reconcileSessions(h.database, h.runtime.kf, { now: new Date(h.sim.clock.now()) });
    };

    /** A change made in WeChat whose kf_* event never reaches wekf. */
    const missed = async (change: () => Promise<unknown>) => {
      h.sim.setWebhook(undefined);
      try {
        await change();
      } finally {
        h.sim.setWebhook(h.webhookUrl, 'plain');
      }
    };

    it('corrects each kind of drift and records what it changed and why', async () => {
      // assigned in WeChat, still waiting here
      const assigned = await queue('o_rec_1');
      await missed(() => h.sim.agents.accept(li, 'o_rec_1'));
      // active here with wang, switched to li in WeChat
      await queue('o_rec_2');
      await h.sim.agents.accept(wang, 'o_rec_2');
      await h.sim.settled();
      const switched = await openSession(h.database, 'o_rec_2');
      await missed(() => h.sim.agents.switchTo(wang, 'o_rec_2', li));
      // closed in WeChat, active here
      await queue('o_rec_3');
      await h.sim.agents.accept(wang, 'o_rec_3');
      await h.sim.settled();
      const closed = await openSession(h.database, 'o_rec_3');
      await missed(() => h.sim.agents.close(wang, 'o_rec_3'));
      // accepted in WeChat after we dropped them: no open session here
      const dropped = await queue('o_rec_4');
      await dropWaitingFollower(h.database.db, staff, { sessionId: dropped.id });
      await missed(() => h.sim.agents.accept(wang, 'o_rec_4'));

      // The run comes a little after those changes (each run starts a fresh look at WeChat's lists).
      const result = await reconcileLater();
      expect(result.skipped).toBeUndefined();
      expect(await openSession(h.database, 'o_rec_1')).toMatchObject({ id: assigned.id, status: 'active', kfAccount: li });
      expect(await openSession(h.database, 'o_rec_2')).toMatchObject({ id: switched.id, status: 'active', kfAccount: li });
      expect(await openSession(h.database, 'o_rec_3')).toMatchObject({ id: closed.id, status: 'closed', endReason: 'closed_in_wechat' });
      // Still in WeChat's waiting list after the drop: the dropped wait was served after all, and the
      // session keeps its own queueing (not a new 0-second one).
      const reopened = await openSession(h.database, 'o_rec_4');
      expect(reopened).toMatchObject({ id: dropped.id, status: 'active', kfAccount: wang, queuedAt: dropped.queuedAt, endReason: null });
      expect((await listSessionEvents(h.database.db, { sessionId: dropped.id })).map((e) => e.kind).sort()).toEqual(['corrected', 'resumed']);

      expect(result.corrections).toEqual(
        expect.arrayContaining([
          { sessionId: assigned.id, kind: 'assigned_in_wechat', kfAccount: li },
          { sessionId: switched.id, kind: 'switched_in_wechat', kfAccount: li },
          { sessionId: closed.id, kind: 'closed_in_wechat', kfAccount: undefined },
          { sessionId: reopened.id, kind: 'opened_in_wechat', kfAccount: wang },
        ]),
      );
      // Each correction is in its session's timeline, with what drifted and to whom.
      expect(await listSessionEvents(h.database.db, { sessionId: closed.id })).toEqual([
        expect.objectContaining({ kind: 'corrected', detail: { drift: 'closed_in_wechat' } }),
      ]);
      expect(await listSessionEvents(h.database.db, { sessionId: assigned.id })).toEqual([
        expect.objectContaining({ kind: 'corrected', kfAccount: li, detail: { drift: 'assigned_in_wechat', kfAccount: li } }),
      ]);

      // Nothing left to correct: a second run changes nothing.
      const second = await reconcileLater();
      expect(second.corrections).toEqual([]);
    });

    it('leaves alone a follower whose close or switch arrived while it read WeChat’s lists', async () => {
      await queue('o_race_close');
      await h.sim.agents.accept(wang, 'o_race_close');
      await queue('o_race_switch');
      await h.sim.agents.accept(wang, 'o_race_switch');
      await h.sim.settled();
      const switching = await openSession(h.database, 'o_race_switch');
      h.sim.clock.advance(5_000);
      // WeChat's lists are all read first (both followers with wang); then, before the run goes on,
      // wang closes one chat and hands the other to li, and both events arrive.
      const lists = new Map<string, Awaited<ReturnType<KfApi['getSessionList']>>>();
      const racing = new Proxy(h.runtime.kf, {
        get(target, name, receiver) {
          if (name !== 'getSessionList') return Reflect.get(target, name, receiver);
          return async (kfAccount: string) => {
            if (lists.size === 0) {
              for (const agent of [wang, li]) lists.set(agent, await target.getSessionList(agent));
              await h.sim.agents.close(wang, 'o_race_close');
              await h.sim.agents.switchTo(wang, 'o_race_switch', li);
              await h.sim.settled();
            }
            return lists.get(kfAccount) ?? [];
          };
        },
      });
      const result = await reconcileSessions(h.database, racing, { now: new Date(h.sim.clock.now()) });
      expect(result.corrections).toEqual([]);
      expect(await openSession(h.database, 'o_race_close')).toMatchObject({ status: 'closed', endReason: 'agent_closed' });
      expect(await openSession(h.database, 'o_race_switch')).toMatchObject({ id: switching.id, status: 'active', kfAccount: li });
      // The next run reads lists made after the events, and agrees.
      expect((await reconcileLater()).corrections).toEqual([]);
    });

    it('keeps within its call budget', async () => {
      const result = await reconcileSessions(h.database, h.runtime.kf, { maxCalls: 1 });
      expect(result.calls).toBe(1);
      expect(h.sim.calls({ path: '/customservice/kfsession/getsessionlist' }).length).toBeGreaterThan(0);
    });

    it('is skipped while WeChat is unreachable, changing nothing', async () => {
      const unreachable = kfApiFor({ ...accountOfSim(h.sim), apiBase: 'http://127.0.0.1:9' }, () => h.database);
      const before = await openSession(h.database, 'o_rec_1');
      const result = await reconcileSessions(h.database, unreachable);
      expect(result).toMatchObject({ skipped: 'wechat_unreachable', corrections: [] });
      expect(await openSession(h.database, 'o_rec_1')).toEqual(before);
    });
  });
});
