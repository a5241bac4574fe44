import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expireWaitingSessions, listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { findFollower } from '@/db/queries/followers';
import { countInboundByKey, listInboundFor } from '@/db/queries/inbound-messages';
import { AGENT_ONLINE_KNOWN_MS, listOutboxFor } from '@/db/queries/outbox';
import { agents, inboundMessages } from '@/db/schema';
import { eq } from 'drizzle-orm';
import { startWechatSim } from '@/lib/wechat-sim';
import { runOnlineRefresh } from '@/lib/kf/agents';
import { saveKfSettings } from '@/lib/kf/settings';
import { defaultServiceHours, formatOpening } from '@/lib/service-hours';
import { emptiedForEachTest, pgliteThreadDatabase, testDatabases } from './databases';
import { isTransfer, nextMsgId, replyText, startKfHarness, textFields, type KfHarness } from './kf-harness';
import { createWebhook } from '@/lib/kf/webhook';
import { buildXml } from '@/lib/wechat/xml';

describe.each([...testDatabases, pgliteThreadDatabase])('customer-service flow on $label', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let h: KfHarness;
  beforeEach(async () => {
    h = await startKfHarness(testDb);
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers other text with the hint that names the keyword', async () => {
    const result = await h.sim.follower('o_hint').sendText('你好');
    expect(replyText(result)).toContain('「客服」');
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_hint' })).toEqual([]);
  });

  it('says no agents are set up when the keyword arrives and nobody can serve', async () => {
    const result = await h.sim.follower('o_lonely').sendText('客服');
    expect(replyText(result)).toBe('抱歉，人工客服暂未开通，请稍后再试。');
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_lonely' })).toEqual([]);
  });

  it('queues a follower who types the keyword, tells them their place and alerts the agents', async () => {
    // The agent is also a follower of the account, so WeChat lets us message them.
    await h.sim.follower('o_agent_ann').sendText('hi');
    await h.addAgent('ann', { openid: 'o_agent_ann', nickname: '小安' });

    const result = await h.sim.follower('o_alice').sendText(' 客服 ');
    expect(isTransfer(result)).toBe(true);
    const [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_alice' });
    expect(session).toMatchObject({ status: 'waiting' });
    expect(h.sim.queue().map((w) => w.openid)).toEqual(['o_alice']);

    await h.drainOutbox();
    expect(h.sim.follower('o_alice').inbox().map((d) => d.text)).toContain('正在为您转接人工客服，当前共有 1 人在排队，您排在第 1 位，请稍候。');
    expect(h.sim.follower('o_agent_ann').inbox().at(-1)?.text).toBe('新的客户正在排队等待接入（当前排队 1 人），请尽快在客服系统中接入。');
  });

  it('tells a follower no agent is online when the last online check found none, and their place as usual otherwise', async () => {
    const kf = await h.addAgent('olly');
    const deps = { database: h.database, kf: h.runtime.kf, now: () => new Date(h.sim.clock.now()) };
    const lastText = async (openid: string) => {
      await h.drainOutbox();
      return h.sim.follower(openid).inbox().at(-1)?.text;
    };

    // Never checked (a fresh start): wekf does not know, and says the place in line.
    await h.sim.agents.setOnline(kf, false);
    await h.sim.follower('o_unknown').sendText('客服');
    expect(await lastText('o_unknown')).toBe('正在为您转接人工客服，当前共有 1 人在排队，您排在第 1 位，请稍候。');

    expect((await runOnlineRefresh(deps)).ran).toBe(true);
    await h.sim.follower('o_nobody').sendText('客服');
    expect(await lastText('o_nobody')).toBe('正在为您转接人工客服。目前暂无客服在线，您排在第 2 位（共 2 人排队），客服上线后会按顺序为您服务，请稍候。');

    await h.sim.agents.setOnline(kf, true);
    expect((await runOnlineRefresh(deps)).ran).toBe(true);
    await h.sim.follower('o_served').sendText('客服');
    expect(await lastText('o_served')).toBe('正在为您转接人工客服，当前共有 3 人在排队，您排在第 3 位，请稍候。');

    // A check older than AGENT_ONLINE_KNOWN_MS says nothing about now.
    await h.sim.agents.setOnline(kf, false);
    expect((await runOnlineRefresh(deps)).ran).toBe(true);
    await h.database.db.update(agents).set({ onlineCheckedAt: new Date(h.sim.clock.now() - AGENT_ONLINE_KNOWN_MS - 1000) });
    await h.sim.follower('o_stale').sendText('客服');
    expect(await lastText('o_stale')).toBe('正在为您转接人工客服，当前共有 4 人在排队，您排在第 4 位，请稍候。');
  });

  it('greets with the account’s name before @ when the agent’s nickname is blank', async () => {
    const kf = await h.addAgent('blanky');
    await h.database.db.update(agents).set({ nickname: ' ' }).where(eq(agents.kfAccount, kf));
    await h.sim.follower('o_blank').sendText('客服');
    await h.sim.agents.accept(kf, 'o_blank');
    await h.sim.settled();
    await h.drainOutbox();
    expect(h.sim.follower('o_blank').inbox().at(-1)?.text).toBe('您好，我是客服blanky，很高兴为您服务。');
  });

  it('a retried message gets the same reply and opens one session', async () => {
    await h.addAgent('bob');
    const fields = textFields('o_retry', '客服');
    const first = await h.push(fields);
    const second = await h.push(fields);
    const firstBody = await first.text();
    expect(firstBody).toContain('transfer_customer_service');
    expect(await second.text()).toBe(firstBody);
    expect(await countInboundByKey(h.database.db, { dedupeKey: `${fields.FromUserName}:${fields.MsgId}` })).toBe(1);
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_retry' })).toHaveLength(1);
    expect(await listOutboxFor(h.database.db, { openid: 'o_retry' })).toHaveLength(1);
  });

  it("two followers sending the same MsgId each get their own reply, never the other's", async () => {
    await h.addAgent('dee');
    const msgId = nextMsgId();
    const first = await h.push({ ...textFields('fan-001', '客服'), MsgId: msgId });
    const second = await h.push({ ...textFields('fan-002', '客服'), MsgId: msgId });
    const third = await h.push({ ...textFields('fan-003', '你好'), MsgId: msgId });
    expect(await first.text()).toContain('<ToUserName><![CDATA[fan-001]]>');
    expect(await second.text()).toContain('<ToUserName><![CDATA[fan-002]]>');
    const hint = await third.text();
    expect(hint).toContain('<ToUserName><![CDATA[fan-003]]>');
    expect(hint).toContain('「客服」');
    for (const openid of ['fan-001', 'fan-002']) expect(await listSessionsByOpenid(h.database.db, { openid })).toHaveLength(1);
  });

  it('after the sandbox restarts, a second follower gets their own reply, not the first one\'s', async () => {
    await h.addAgent('eve');
    const first = await h.sim.follower('fan-001').sendText('客服');
    // A restarted fake WeChat: the same account (the sandbox keeps its credentials), a fresh process.
    const restarted = await startWechatSim({ ...h.sim.credentials, webhookUrl: h.webhookUrl, mode: 'plain', pushTimeoutMs: 5000 });
    try {
      const second = await restarted.follower('fan-002').sendText('你好');
      expect(isTransfer(first)).toBe(true);
      expect(second.route === 'webhook' && second.push.outcome?.kind === 'message' ? second.push.outcome.text : undefined).toContain('「客服」');
      expect((await listInboundFor(h.database.db, { openid: 'fan-002' })).map((m) => m.summary)).toEqual(['你好']);
    } finally {
      await restarted.close();
    }
  });

  it("a stored reply addressed to another follower is never handed out, even under the same dedupe key", async () => {
    // A row as an older wekf (dedupe key without the sender) could have left it: fan-101's reply
    // stored under the key fan-102's push now has.
    const msgId = nextMsgId();
    const leaked = await h.push({ ...textFields('fan-101', '你好'), MsgId: msgId });
    const leakedBody = await leaked.text();
    await h.database.db.update(inboundMessages).set({ dedupeKey: `fan-102:${msgId}` }).where(eq(inboundMessages.dedupeKey, `fan-101:${msgId}`));
    for (const content of ['你好', '客服']) {
      const answer = await (await h.push({ ...textFields('fan-102', content), MsgId: msgId })).text();
      expect(answer).not.toBe(leakedBody);
      expect(answer).not.toContain('fan-101');
    }
  });

  it('concurrent duplicates of one message all get the first reply and act once', async () => {
    await h.addAgent('cat');
    const fields = textFields('o_dupes', '客服');
    const bodies = await Promise.all(Array.from({ length: 8 }, () => h.push(fields).then((r) => r.text())));
    expect(new Set(bodies).size).toBe(1);
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_dupes' })).toHaveLength(1);
    expect(await listOutboxFor(h.database.db, { openid: 'o_dupes' })).toHaveLength(1);
  });

  it('concurrent duplicates of an ordinary message are recorded once with one reply', async () => {
    const fields = textFields('o_plain_dupes', '你好');
    const bodies = await Promise.all(Array.from({ length: 8 }, () => h.push(fields).then((r) => r.text())));
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('「客服」');
    expect(await countInboundByKey(h.database.db, { dedupeKey: `${fields.FromUserName}:${fields.MsgId}` })).toBe(1);
  });

  it('a follower text holding a NUL is answered and recorded without it', async () => {
    const fields = textFields('o_nul', 'a\u0000b');
    const response = await h.pushRaw(
      `<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o_nul]]></FromUserName>` +
        `<CreateTime>${fields.CreateTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
        `<Content><![CDATA[a\u0000b]]></Content><MsgId>${fields.MsgId}</MsgId></xml>`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('「客服」');
    const [row] = await listInboundFor(h.database.db, { openid: 'o_nul' });
    expect(row?.summary).toBe('ab');
  });

  it('twenty concurrent keyword messages from one follower open one session', async () => {
    await h.addAgent('dan');
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.push(textFields('o_burst', '客服'))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_burst' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.status).toBe('waiting');
  });

  it('two instances racing keywords from the same followers open one session each and act once per push', async () => {
    await h.addAgent('dora', { openid: 'o_agent_dora' });
    const other = h.secondInstance();
    try {
      const followers = Array.from({ length: 8 }, (_, i) => `o_race${i}`);
      const pushes = followers.flatMap((openid) => Array.from({ length: 4 }, () => textFields(openid, '客服')));
      const replies = await Promise.all(
        pushes.map(async (fields, i) => {
          if (i % 2 === 0) return (await h.push(fields)).text();
          const answer = await other.push(fields);
          expect(answer.status).toBe(200);
          return answer.body;
        }),
      );
      for (const reply of replies) expect(reply).toContain('transfer_customer_service');
      for (const fields of pushes) expect(await countInboundByKey(h.database.db, { dedupeKey: `${fields.FromUserName}:${fields.MsgId}` })).toBe(1);
      for (const openid of followers) {
        const sessions = await listSessionsByOpenid(h.database.db, { openid });
        expect(sessions.map((s) => s.status)).toEqual(['waiting']);
        // Every keyword re-sends the place in line, once.
        expect((await listOutboxFor(h.database.db, { openid })).map((o) => o.kind)).toEqual(Array(4).fill('queue_position'));
      }
      // One alert per new session, not per push.
      expect(await listOutboxFor(h.database.db, { openid: 'o_agent_dora' })).toHaveLength(followers.length);
    } finally {
      await other.stop();
    }
  });

  it('queue positions move up as agents accept', async () => {
    const kf = await h.addAgent('eve');
    for (const openid of ['o_q1', 'o_q2', 'o_q3']) await h.sim.follower(openid).sendText('客服');
    await h.drainOutbox();
    expect(h.sim.follower('o_q3').inbox().at(-1)?.text).toContain('当前共有 3 人在排队，您排在第 3 位');

    await h.sim.agents.accept(kf, 'o_q1');
    await h.sim.settled();
    // The keyword again, while waiting, re-sends the place in line.
    await h.sim.follower('o_q3').sendText('客服');
    await h.drainOutbox();
    expect(h.sim.follower('o_q3').inbox().at(-1)?.text).toContain('当前共有 2 人在排队，您排在第 2 位');
  });

  it('a follower who unfollows while waiting leaves the line, and those behind move up', async () => {
    await h.addAgent('ida');
    for (const openid of ['o_gone', 'o_stays']) await h.sim.follower(openid).sendText('客服');
    await h.drainOutbox();
    expect(h.sim.follower('o_stays').inbox().at(-1)?.text).toContain('当前共有 2 人在排队，您排在第 2 位');

    await h.sim.follower('o_gone').unsubscribe();
    const [gone] = await listSessionsByOpenid(h.database.db, { openid: 'o_gone' });
    expect(gone).toMatchObject({ status: 'abandoned', endReason: 'follower_left', endedByUserId: null });
    expect(gone!.endedAt).toBeInstanceOf(Date);

    await h.sim.follower('o_stays').sendText('客服');
    await h.drainOutbox();
    expect(h.sim.follower('o_stays').inbox().at(-1)?.text).toContain('当前共有 1 人在排队，您排在第 1 位');
  });

  it('an unfollow that arrives after the follower followed again and asked for an agent changes nothing', async () => {
    await h.addAgent('una');
    const t = Math.floor(h.sim.clock.now() / 1000);
    await h.sim.follower('o_back').subscribe();
    await h.sim.follower('o_back').sendText('客服');
    // The unfollow WeChat made two seconds before that follow, delivered last.
    expect(await (await h.push({ FromUserName: 'o_back', CreateTime: t - 2, MsgType: 'event', Event: 'unsubscribe' })).text()).toBe('success');
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_back' })).toEqual([expect.objectContaining({ status: 'waiting' })]);
    expect(await findFollower(h.database.db, { openid: 'o_back' })).toMatchObject({ subscribed: true });
    // An unfollow made after them still takes them out of the line.
    h.sim.clock.advance(2_000);
    await h.sim.follower('o_back').unsubscribe();
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_back' })).toEqual([expect.objectContaining({ status: 'abandoned', endReason: 'follower_left' })]);
  });

  it('a place in line tells the follower the place they hold when it is sent, not when they asked', async () => {
    const kf = await h.addAgent('fay');
    await h.sim.follower('o_ahead').sendText('客服');
    await h.sim.follower('o_behind').sendText('客服'); // second in line when asking
    await h.sim.agents.accept(kf, 'o_ahead');
    await h.sim.settled();
    await h.drainOutbox();
    expect(h.sim.follower('o_behind').inbox().at(-1)?.text).toContain('当前共有 1 人在排队，您排在第 1 位');
    // o_ahead's own place-in-line message was dropped: they are no longer waiting.
    expect(h.sim.follower('o_ahead').inbox().some((m) => m.text?.includes('排队'))).toBe(false);
  });

  it('an agent alert counts the line when it is sent, and is dropped once the follower has been taken', async () => {
    await h.sim.follower('o_agent_gus').sendText('hi');
    const kf = await h.addAgent('gus', { openid: 'o_agent_gus' });
    await h.sim.follower('o_first').sendText('客服');
    await h.sim.follower('o_second').sendText('客服');
    await h.sim.agents.accept(kf, 'o_first');
    await h.sim.settled();
    await h.drainOutbox();
    const alerts = h.sim.follower('o_agent_gus').inbox().map((m) => m.text).filter((t) => t?.includes('新的客户'));
    expect(alerts).toEqual(['新的客户正在排队等待接入（当前排队 1 人），请尽快在客服系统中接入。']);
    const outcomes = (await listOutboxFor(h.database.db, { openid: 'o_agent_gus' })).map((o) => [o.status, o.lastError]);
    expect(outcomes).toEqual([
      ['skipped', 'the follower is no longer waiting'],
      ['sent', null],
    ]);
  });

  it('follows an agent accepting, switching and closing a session', async () => {
    const ann = await h.addAgent('ann', { nickname: '小安' });
    const ben = await h.addAgent('ben', { nickname: '小本' });
    await h.sim.follower('o_kf').sendText('客服');

    await h.sim.agents.accept(ann, 'o_kf');
    await h.sim.settled();
    let [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_kf' });
    expect(session).toMatchObject({ status: 'active', kfAccount: ann });
    expect(session!.startedAt).toBeInstanceOf(Date);
    await h.drainOutbox();
    expect(h.sim.follower('o_kf').inbox().at(-1)).toMatchObject({ text: '您好，我是客服小安，很高兴为您服务。' });
    // The place in line was still queued when the agent accepted: it is stale and not sent.
    const queued = await listOutboxFor(h.database.db, { openid: 'o_kf' });
    expect(queued.map((r) => [r.kind, r.status])).toEqual([
      ['queue_position', 'skipped'],
      ['greeting', 'sent'],
    ]);

    await h.sim.agents.switchTo(ann, 'o_kf', ben);
    await h.sim.settled();
    [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_kf' });
    expect(session).toMatchObject({ status: 'active', kfAccount: ben });
    // The follower hears who has them now, sent as that agent.
    await h.drainOutbox();
    expect(h.sim.follower('o_kf').inbox().at(-1)).toMatchObject({ text: '您好，现在由客服小本继续为您服务。' });
    expect((await listOutboxFor(h.database.db, { openid: 'o_kf' })).find((r) => r.kind === 'switched')?.payload).toMatchObject({ kfAccount: ben });
    expect((await loadSessionDetail(h.database.db, { id: session!.id, now: new Date() }))!.messages.map((m) => m.kind)).toContain('switched');

    await h.sim.agents.close(ben, 'o_kf');
    await h.sim.settled();
    [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_kf' });
    expect(session).toMatchObject({ status: 'closed', closedByKfAccount: ben });
    expect(session!.endedAt).toBeInstanceOf(Date);
    await h.drainOutbox();
    expect(h.sim.follower('o_kf').inbox().at(-1)?.text).toContain('本次服务已结束');
    // Sent as the agent who closed the chat, as the greeting and the hand-over were.
    expect(h.sim.follower('o_kf').inbox().at(-1)).toMatchObject({ kfAccount: ben });

    // Asking again a moment later: each session's page lists its own texts, not its neighbour's.
    await h.sim.follower('o_kf').sendText('客服');
    const [first, second] = await listSessionsByOpenid(h.database.db, { openid: 'o_kf' });
    const kindsOf = async (id: number) => (await loadSessionDetail(h.database.db, { id, now: new Date() }))!.messages.map((m) => m.kind);
    expect(await kindsOf(first!.id)).toEqual(['queue_position', 'greeting', 'switched', 'closing']);
    expect(await kindsOf(second!.id)).toEqual(['queue_position']);
  });

  describe('session events that arrive out of order', () => {
    // WeChat pushes each session change on its own; a slow delivery can land after the next one.
    const sessionEvent = (openid: string, at: number, event: string, accounts: Record<string, string>) => ({
      FromUserName: openid,
      CreateTime: at,
      MsgType: 'event',
      Event: event,
      ...accounts,
    });

    it('a close that overtook its accept ends the session, and the late accept greets nobody and opens nothing', async () => {
      const ann = await h.addAgent('ann', { nickname: '小安' });
      await h.sim.follower('o_quick').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      expect(await (await h.push(sessionEvent('o_quick', t + 1, 'kf_close_session', { KfAccount: ann }))).text()).toBe('success');
      expect(await (await h.push(sessionEvent('o_quick', t, 'kf_create_session', { KfAccount: ann }))).text()).toBe('success');

      const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_quick' });
      expect(sessions).toHaveLength(1);
      // Served by the agent who closed it, so the metrics count it answered.
      expect(sessions[0]).toMatchObject({ status: 'closed', kfAccount: ann, closedByKfAccount: ann, endReason: 'agent_closed' });
      expect(sessions[0]!.startedAt).toBeInstanceOf(Date);
      const kinds = (await listOutboxFor(h.database.db, { openid: 'o_quick' })).map((r) => r.kind);
      expect(kinds).toContain('closing');
      expect(kinds).not.toContain('greeting');
    });

    it('a late accept or switch of the previous chat, arriving after its close and the follower’s new request, leaves the new wait waiting', async () => {
      const ann = await h.addAgent('ann', { nickname: '小安' });
      const ben = await h.addAgent('ben');
      await h.sim.follower('o_again').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      // The first chat: accepted at t+1 (that push is delayed), switched at t+3 (delayed too), closed at t+5.
      await h.push(sessionEvent('o_again', t + 5, 'kf_close_session', { KfAccount: ben }));
      await h.sim.follower('o_again').sendText('客服');
      const [, renewed] = await listSessionsByOpenid(h.database.db, { openid: 'o_again' });
      expect(renewed).toMatchObject({ status: 'waiting' });
      expect(await (await h.push(sessionEvent('o_again', t + 3, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: ben }))).text()).toBe('success');
      expect(await (await h.push(sessionEvent('o_again', t + 1, 'kf_create_session', { KfAccount: ann }))).text()).toBe('success');

      const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_again' });
      expect(sessions.map((x) => x.status)).toEqual(['closed', 'waiting']);
      expect(sessions[1]).toMatchObject({ id: renewed!.id, kfAccount: null, kfEventAt: null });
      expect((await listOutboxFor(h.database.db, { openid: 'o_again' })).map((r) => r.kind)).not.toContain('greeting');
      // The accept of the new request, when it comes, is applied as usual.
      await h.push(sessionEvent('o_again', t + 7, 'kf_create_session', { KfAccount: ann }));
      expect((await listSessionsByOpenid(h.database.db, { openid: 'o_again' }))[1]).toMatchObject({ status: 'active', kfAccount: ann });
    });

    it('an accept or switch naming an agent not synced yet asks for an agent sync, once it has committed', async () => {
      const ann = await h.addAgent('ann');
      const asked: string[] = [];
      const webhook = createWebhook({ token: h.sim.credentials.token, database: () => h.database, onUnknownAgent: () => asked.push('sync') });
      const push = (fields: Record<string, string | number>) =>
        webhook.handle({ method: 'POST', query: h.signedQuery(), body: Buffer.from(buildXml({ ToUserName: h.sim.credentials.originalId, ...fields })) });
      const t = Math.floor(Date.now() / 1000);
      await h.sim.follower('o_new_agent').sendText('客服');
      expect((await push(sessionEvent('o_new_agent', t, 'kf_create_session', { KfAccount: ann }))).status).toBe(200);
      expect(asked).toEqual([]);
      // Made in WeChat since the last sync: the follower hears the account's name, and wekf asks who it is.
      const newcomer = `zoe@${h.sim.credentials.kfSuffix}`;
      await h.runtime.kf.addKfAccount({ kfAccount: newcomer, nickname: '小周' });
      expect((await push(sessionEvent('o_new_agent', t + 1, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: newcomer }))).status).toBe(200);
      expect(asked).toEqual(['sync']);
      await h.drainOutbox();
      expect(h.sim.follower('o_new_agent').inbox().at(-1)?.text).toContain('zoe');
    });

    it('switches hold in the order WeChat made them: an overtaken one changes nothing, two in one second both count', async () => {
      const ann = await h.addAgent('ann');
      const ben = await h.addAgent('ben');
      const cat = await h.addAgent('cat');
      await h.sim.follower('o_passed').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      await h.push(sessionEvent('o_passed', t, 'kf_create_session', { KfAccount: ann }));
      // ben → cat was made after ann → ben, yet arrives first.
      await h.push(sessionEvent('o_passed', t + 2, 'kf_switch_session', { FromKfAccount: ben, ToKfAccount: cat }));
      await h.push(sessionEvent('o_passed', t + 1, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: ben }));
      let [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_passed' });
      expect(session).toMatchObject({ status: 'active', kfAccount: cat });

      // Two switches in one second are two events, not a retry of one.
      await h.push(sessionEvent('o_passed', t + 3, 'kf_switch_session', { FromKfAccount: cat, ToKfAccount: ann }));
      await h.push(sessionEvent('o_passed', t + 3, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: ben }));
      [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_passed' });
      expect(session).toMatchObject({ status: 'active', kfAccount: ben });
      const timeline = (await loadSessionDetail(h.database.db, { id: session!.id, now: new Date() }))!.timeline;
      // As WeChat said each: the overtaken ann → ben is not among them.
      expect(timeline.flatMap((e) => (e.kind === 'switched' ? [[e.from, e.to]] : []))).toEqual([
        [ben, cat],
        [cat, ann],
        [ann, ben],
      ]);

      // Two in one second (ben → cat, then cat → ann) arriving reversed: their chain tells the order,
      // as ben → cat hands on from someone who no longer holds it.
      await h.push(sessionEvent('o_passed', t + 4, 'kf_switch_session', { FromKfAccount: cat, ToKfAccount: ann }));
      await h.push(sessionEvent('o_passed', t + 4, 'kf_switch_session', { FromKfAccount: ben, ToKfAccount: cat }));
      [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_passed' });
      expect(session).toMatchObject({ status: 'active', kfAccount: ann });

      // There and back in one second (ann → ben, then ben → ann) arriving reversed: ann holds it.
      await h.push(sessionEvent('o_passed', t + 5, 'kf_switch_session', { FromKfAccount: ben, ToKfAccount: ann }));
      await h.push(sessionEvent('o_passed', t + 5, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: ben }));
      [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_passed' });
      expect(session).toMatchObject({ status: 'active', kfAccount: ann });
    });

    it("another agent's accept after the chat's latest event starts a new chat, and the first chat's late close ends nothing", async () => {
      const ann = await h.addAgent('ann', { nickname: '小安' });
      const ben = await h.addAgent('ben', { nickname: '小本' });
      await h.sim.follower('o_next').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      await h.push(sessionEvent('o_next', t, 'kf_create_session', { KfAccount: ann }));
      // ann closed at t + 1 and ben accepted at t + 3, but the close arrives last.
      await h.push(sessionEvent('o_next', t + 3, 'kf_create_session', { KfAccount: ben }));
      await h.push(sessionEvent('o_next', t + 1, 'kf_close_session', { KfAccount: ann }));
      const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_next' });
      expect(sessions.map((s) => [s.status, s.kfAccount])).toEqual([
        ['closed', ann],
        ['active', ben],
      ]);
      await h.drainOutbox();
      const texts = h.sim.follower('o_next').inbox().map((d) => d.text);
      expect(texts.at(-1)).toBe('您好，我是客服小本，很高兴为您服务。');
      // The follower is talking to ben: no "service has ended" in between.
      expect(texts.filter((text) => text?.includes('本次服务已结束'))).toEqual([]);
    });

    it("the first chat's close made in the same second as the next chat's accept ends only the first chat", async () => {
      const ann = await h.addAgent('ann', { nickname: '小安' });
      const ben = await h.addAgent('ben', { nickname: '小本' });
      await h.sim.follower('o_same').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      await h.push(sessionEvent('o_same', t, 'kf_create_session', { KfAccount: ann }));
      // ann closed and ben accepted the follower's next chat within one second; the close arrives last.
      await h.push(sessionEvent('o_same', t + 5, 'kf_create_session', { KfAccount: ben }));
      await h.push(sessionEvent('o_same', t + 5, 'kf_close_session', { KfAccount: ann }));
      let sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_same' });
      expect(sessions.map((s) => [s.status, s.kfAccount])).toEqual([
        ['closed', ann],
        ['active', ben],
      ]);
      await h.drainOutbox();
      expect(h.sim.follower('o_same').inbox().filter((d) => d.text?.includes('本次服务已结束'))).toEqual([]);
      // ben's own close, later, ends the chat, and the follower is told.
      await h.push(sessionEvent('o_same', t + 9, 'kf_close_session', { KfAccount: ben }));
      sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_same' });
      expect(sessions.at(-1)).toMatchObject({ status: 'closed', kfAccount: ben, closedByKfAccount: ben });
      await h.drainOutbox();
      expect(h.sim.follower('o_same').inbox().filter((d) => d.text?.includes('本次服务已结束'))).toHaveLength(1);
    });

    it('a switch that overtook the accept leaves the session with the agent it was switched to, who greets', async () => {
      const ann = await h.addAgent('ann', { nickname: '小安' });
      const ben = await h.addAgent('ben', { nickname: '小本' });
      await h.sim.follower('o_handed').sendText('客服');
      const t = Math.floor(Date.now() / 1000);
      await h.push(sessionEvent('o_handed', t + 1, 'kf_switch_session', { FromKfAccount: ann, ToKfAccount: ben }));
      await h.push(sessionEvent('o_handed', t, 'kf_create_session', { KfAccount: ann }));
      const [session] = await listSessionsByOpenid(h.database.db, { openid: 'o_handed' });
      expect(session).toMatchObject({ status: 'active', kfAccount: ben });
      await h.drainOutbox();
      expect(h.sim.follower('o_handed').inbox().at(-1)?.text).toBe('您好，我是客服小本，很高兴为您服务。');
    });
  });

  it('a waiting follower’s every message goes to customer service, and none of their events', async () => {
    await h.addAgent('ann');
    await h.sim.follower('o_waits').sendText('客服');
    const image = { FromUserName: 'o_waits', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'image', PicUrl: 'http://p/1.jpg', MediaId: 'm1', MsgId: nextMsgId() };
    const click = { FromUserName: 'o_waits', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'CLICK', EventKey: 'menu_1' };

    for (const fields of [textFields('o_waits', '在吗'), image]) {
      const body = await (await h.push(fields)).text();
      expect(body).toContain('transfer_customer_service');
      expect(body).not.toContain('KfAccount');
    }
    expect(await (await h.push(click)).text()).toBe('success');

    // Without a session an image is only acknowledged.
    const stranger = { ...image, FromUserName: 'o_stranger', MsgId: nextMsgId() };
    expect(await (await h.push(stranger)).text()).toBe('success');
  });

  it('a follower with an active session is handed back to their agent', async () => {
    const ann = await h.addAgent('ann');
    await h.sim.follower('o_back').sendText('客服');
    await h.sim.agents.accept(ann, 'o_back');
    await h.sim.settled();
    const response = await h.push(textFields('o_back', '还在吗'));
    const body = await response.text();
    expect(body).toContain('transfer_customer_service');
    expect(body).toContain(`<KfAccount><![CDATA[${ann}]]></KfAccount>`);
  });

  it('answers session events for unknown followers with success', async () => {
    const response = await h.push({ FromUserName: 'o_ghost', CreateTime: 1700000000, MsgType: 'event', Event: 'kf_close_session', KfAccount: 'x@y' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect(await countInboundByKey(h.database.db, { dedupeKey: 'o_ghost:1700000000:kf_close_session:x@y' })).toBe(1);
  });

  it('a waiting session past its expiry is expired, and the keyword then opens a new one', async () => {
    await h.addAgent('fay');
    await h.sim.follower('o_late').sendText('客服');
    h.sim.clock.advance(31 * 60_000);
    await h.sim.follower('o_late').sendText('客服');
    const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_late' });
    expect(sessions.map((s) => s.status)).toEqual(['expired', 'waiting']);
    expect(sessions[0]!.endReason).toBe('wait_expired');
  });

  it('an agent who accepts from WeChat’s list a follower whose wait ran out here serves that wait, counted in full', async () => {
    const kf = await h.addAgent('hal');
    await h.sim.follower('o_overnight').sendText('客服');
    const [queued] = await listSessionsByOpenid(h.database.db, { openid: 'o_overnight' });
    h.sim.clock.advance(31 * 60_000);
    expect(await expireWaitingSessions(h.database.db, { now: new Date(h.sim.clock.now()) })).toHaveLength(1);

    // WeChat kept them in its own waiting list; an agent takes them from there.
    await h.sim.agents.accept(kf, 'o_overnight');
    await h.sim.settled();
    const sessions = await listSessionsByOpenid(h.database.db, { openid: 'o_overnight' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ id: queued!.id, status: 'active', kfAccount: kf, endedAt: null, endReason: null, queuedAt: queued!.queuedAt });
    expect(sessions[0]!.startedAt!.getTime() - queued!.queuedAt.getTime()).toBeGreaterThanOrEqual(31 * 60_000);
    const timeline = (await loadSessionDetail(h.database.db, { id: queued!.id, now: new Date(h.sim.clock.now()) }))!.timeline.map((e) => e.kind);
    expect(timeline).toEqual(['queued', 'waitEnded', 'accepted']);
  });

  it('outside service hours the keyword gets the off-hours text naming the hours and when service resumes', async () => {
    await h.addAgent('gus');
    const now = h.sim.clock.now();
    const later = laterHourRange(now);
    await saveKfSettings(h.database.db, { settings: { hours: defaultServiceHours(later, 'Asia/Shanghai') }, userId: null });
    const result = await h.sim.follower('o_night').sendText('客服');
    const resume = formatOpening(new Date(laterHourStart(now)), 'Asia/Shanghai', 'zh', new Date(now));
    expect(resume).toMatch(/^(今天|明天) \d\d:00$/); // two hours from now
    expect(replyText(result)).toBe(
      `人工客服的服务时间是 每天 ${later}，现在不在服务时间内，将于 ${resume} 恢复服务。届时请回复「客服」，我们会尽快为您服务。`,
    );
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_night' })).toEqual([]);
  });

  it('the off-hours text skips a holiday when it says when service resumes', async () => {
    await h.addAgent('hal');
    const now = h.sim.clock.now();
    const opening = laterHourStart(now);
    // The day service would open next is a holiday, so it opens a day later.
    const holiday = new Date(opening + 8 * 3600_000).toISOString().slice(0, 10);
    const hours = { ...defaultServiceHours(laterHourRange(now), 'Asia/Shanghai'), holidays: [holiday] };
    await saveKfSettings(h.database.db, { settings: { hours }, userId: null });
    const result = await h.sim.follower('o_holiday').sendText('客服');
    expect(replyText(result)).toContain(`将于 ${formatOpening(new Date(opening + 86_400_000), 'Asia/Shanghai', 'zh', new Date(now))} 恢复服务`);
  });

  it('welcomes a new follower', async () => {
    const result = await h.sim.follower('o_new').subscribe();
    expect(replyText(result)).toContain('感谢关注');
  });

  it('sends each answer whole, with its length, not in chunks', async () => {
    const response = await h.push(textFields('o_length', '你好'));
    const body = await response.text();
    expect(body).toContain('「客服」');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
  });

  it('refuses a bad signature, malformed XML, an entity bomb and an oversized body', async () => {
    expect((await h.push(textFields('o_bad', 'x'), { signature: 'f'.repeat(40) })).status).toBe(403);
    const signedUrl = await signedWebhookUrl(h);
    expect((await fetch(signedUrl, { method: 'POST', body: '<xml><ToUserName>' })).status).toBe(400);
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>';
    expect((await fetch(signedUrl, { method: 'POST', body: bomb })).status).toBe(400);
    expect((await fetch(signedUrl, { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) })).status).toBe(413);
    expect((await fetch(signedUrl, { method: 'POST', body: '<xml><MsgType>text</MsgType></xml>' })).status).toBe(400);
  });

  it('answers WeChat URL verification with the bare echostr', async () => {
    expect(await h.sim.verifyWebhook()).toBe(true);
    expect((await fetch(`${h.webhookUrl}?signature=x&timestamp=1&nonce=2&echostr=3`)).status).toBe(403);
    expect((await fetch(`${h.webhookUrl}?timestamp=1`)).status).toBe(400);
  });

  it('answers 503 while the database is unreachable and recovers by itself', async () => {
    h.setDatabaseReachable(false);
    const started = Date.now();
    const down = await h.push(textFields('o_outage', '你好'));
    expect(down.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
    h.setDatabaseReachable(true);
    const up = await h.push(textFields('o_outage', '你好'));
    expect(up.status).toBe(200);
  });
});

describe.each(testDatabases)('encrypted modes on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  it.each(['safe', 'compat'] as const)('%s mode: the follower gets a signed, encrypted reply it can read', async (mode) => {
    const h = await startKfHarness(testDb, { mode });
    try {
      await h.addAgent('ann');
      const hint = await h.sim.follower('o_secret').sendText('你好');
      expect(replyText(hint)).toContain('「客服」');
      const queued = await h.sim.follower('o_secret').sendText('客服');
      expect(isTransfer(queued)).toBe(true);
      const raw = await h.push(textFields('o_secret2', 'hello'), { mode });
      const body = await raw.text();
      expect(body).toContain('<Encrypt>');
      expect(body).toContain('<MsgSignature>');
      expect(body).not.toContain('「客服」');
    } finally {
      await h.close();
    }
  });
});

async function signedWebhookUrl(h: KfHarness): Promise<string> {
  const { plainSignature } = await import('@/lib/wechat/signature');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '42';
  return `${h.webhookUrl}?signature=${plainSignature(h.sim.credentials.token, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}`;
}

/** A one-hour range starting two hours from now in Shanghai, so now is outside it. */
/** When laterHourRange's range next starts: the next full hour in Shanghai, plus 2 hours (UTC+8, no DST). */
function laterHourStart(nowMs: number): number {
  const hour = 3600_000;
  return Math.floor(nowMs / hour) * hour + 2 * hour;
}

function laterHourRange(nowMs: number): string {
  const hour = (new Date(nowMs).getUTCHours() + 8 + 2) % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(hour)}:00-${pad((hour + 1) % 24)}:00`;
}
