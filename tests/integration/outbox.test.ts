import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enqueueOutbox, listOutboxFor } from '@/db/queries/outbox';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { OutboxDispatcher } from '@/lib/outbox/dispatcher';
import { FAILURE_REASONS } from '@/lib/outbox/skip-reasons';
import { accountOfSim } from '@/lib/sandbox';
import { kfApiFor } from '@/lib/wechat-account/api-client';
import { followers, wechatTokens } from '@/db/schema';
import { emptiedForEachTest, testDatabases } from './databases';
import { isTransfer, startKfHarness, type KfHarness } from './kf-harness';

const SEND = '/cgi-bin/message/custom/send';

describe.each(testDatabases)('outbox on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let h: KfHarness;
  beforeEach(async () => {
    h = await startKfHarness(testDb);
    await h.addAgent('ann');
  });
  afterEach(async () => {
    await h.close();
  });

  it('paces the rounds that wake-ups start: the first goes at once, the next waits out the interval', async () => {
    const dispatcher = new OutboxDispatcher({ database: () => h.database, kf: h.runtime.kf, wakeIntervalMs: 60_000, pollMs: 60_000 });
    const statuses = async (openid: string) => (await listOutboxFor(h.database.db, { openid })).map((r) => r.status);
    try {
      await h.sim.follower('o_pace1').sendText('客服');
      dispatcher.start();
      await expect.poll(() => statuses('o_pace1'), { timeout: 5000 }).toEqual(['sent']);

      await h.sim.follower('o_pace2').sendText('客服');
      dispatcher.wake();
      dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await statuses('o_pace2')).toEqual(['pending']);
    } finally {
      await dispatcher.stop();
    }
  });

  it('a token invalidated mid-run is refreshed once and the message delivered', async () => {
    await h.sim.follower('o_tok').sendText('客服');
    await h.drainOutbox(); // fetches and stores the first token
    const [stored] = await h.database.db.select().from(wechatTokens);
    expect(stored?.accessToken).toBeTruthy();
    const tokenCalls = () => h.sim.calls({ path: '/cgi-bin/stable_token' }).length;
    const before = tokenCalls();

    h.sim.faults.inject({ path: SEND, errcode: 40001, times: 1 });
    await h.sim.follower('o_tok').sendText('客服');
    await h.drainOutbox();
    expect(tokenCalls()).toBe(before + 1);
    const rows = await listOutboxFor(h.database.db, { openid: 'o_tok' });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    // The rejected token was expired in the database and a new one fetched (stable_token may hand
    // back the same string while it is still valid on WeChat's side, with a fresh expiry).
    const [after] = await h.database.db.select().from(wechatTokens).where(eq(wechatTokens.appId, h.sim.credentials.appId));
    expect(after!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it('while WeChat is down the webhook still answers fast, and delivery happens after recovery', async () => {
    h.sim.faults.inject({ path: SEND, httpStatus: 502, times: 100 });
    const started = Date.now();
    const result = await h.sim.follower('o_down').sendText('客服');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(isTransfer(result)).toBe(true);

    await h.drainOutbox();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_down' });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('http_status');

    h.sim.faults.clear();
    h.sim.clock.advance(10_000);
    await h.drainOutbox();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_down' });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(h.sim.follower('o_down').inbox().at(-1)?.text).toContain('排在第 1 位');
  });

  it('a send WeChat took but did not answer in time is not sent again: the follower gets it once, and the row says why', async () => {
    h.sim.faults.inject({ path: SEND, delayMs: 1500, times: 1 });
    await h.sim.follower('o_hang').sendText('客服');
    const dispatcher = h.runtime.dispatcher as unknown as { runOnce(): Promise<number> };
    // A short timeout: the fake answers after 1.5 s, and delivers then.
    const impatient = new OutboxDispatcher({
      database: () => h.database,
      kf: h.runtime.kf,
      sendTimeoutMs: 300,
      now: () => new Date(h.sim.clock.now()),
    });
    await impatient.runOnce();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_hang' });
    expect(row).toMatchObject({ status: 'failed', lastErrcode: null, lastError: FAILURE_REASONS.unconfirmed });

    // The late answer lands; later rounds leave the row alone, so the follower has the message once.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    h.sim.clock.advance(10_000);
    await dispatcher.runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_hang' });
    expect(row!.status).toBe('failed');
    expect(h.sim.follower('o_hang').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(1);
  });

  it('a reused keep-alive connection WeChat dropped is retried, and sent once it answers', async () => {
    h.sim.faults.inject({ path: SEND, drop: true, times: 1 });
    await h.sim.follower('o_drop').sendText('客服');
    const dispatcher = h.runtime.dispatcher as unknown as { runOnce(): Promise<number> };
    // A call just before leaves the client's connection open and idle: the send goes over it, as
    // most of a busy outbox's sends do, and a drop there is mostly WeChat closing an idle connection.
    await h.runtime.kf.getKfList();
    await dispatcher.runOnce();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_drop' });
    expect(row).toMatchObject({ status: 'pending', lastError: 'network: network' });
    h.sim.clock.advance(10_000);
    await dispatcher.runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_drop' });
    expect(row!.status).toBe('sent');
  });

  it('a fresh connection WeChat drops after taking the message is not sent again: the follower gets it once, and the row says why', async () => {
    h.sim.faults.inject({ path: SEND, dropAfterActing: true, times: 1 });
    await h.sim.follower('o_taken').sendText('客服');
    // A client of its own, with no connection open yet (the access token is read from the database).
    const fresh = new OutboxDispatcher({ database: () => h.database, kf: kfApiFor(accountOfSim(h.sim), () => h.database), now: () => new Date(h.sim.clock.now()) });
    await fresh.runOnce();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_taken' });
    expect(row).toMatchObject({ status: 'failed', lastErrcode: null, lastError: FAILURE_REASONS.dropped });
    h.sim.clock.advance(10_000);
    await (h.runtime.dispatcher as unknown as { runOnce(): Promise<number> }).runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_taken' });
    expect(row!.status).toBe('failed');
    expect(h.sim.follower('o_taken').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(1);
  });

  it('a send WeChat answers with JSON cut short is not sent again; a proxy\'s HTML page is retried', async () => {
    h.sim.faults.inject({ path: SEND, cutShortAfterActing: true, times: 1 });
    await h.sim.follower('o_cut').sendText('客服');
    await (h.runtime.dispatcher as unknown as { runOnce(): Promise<number> }).runOnce();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_cut' });
    expect(row).toMatchObject({ status: 'failed', lastErrcode: null, lastError: FAILURE_REASONS.unreadable });
    h.sim.clock.advance(10_000);
    await (h.runtime.dispatcher as unknown as { runOnce(): Promise<number> }).runOnce();
    expect(h.sim.follower('o_cut').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(1);

    // An answer that is not WeChat's JSON at all (a gateway's page) says the message never reached the API.
    h.sim.faults.inject({ path: SEND, httpStatus: 200, times: 1 });
    await h.sim.follower('o_page').sendText('客服');
    await (h.runtime.dispatcher as unknown as { runOnce(): Promise<number> }).runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_page' });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    h.sim.clock.advance(10_000);
    await (h.runtime.dispatcher as unknown as { runOnce(): Promise<number> }).runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_page' });
    expect(row!.status).toBe('sent');
    expect(h.sim.follower('o_page').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(1);
  });

  it('a message waits while no access token can be had, and is sent once one can', async () => {
    await h.sim.follower('o_notoken').sendText('客服');
    const fresh = () => new OutboxDispatcher({ database: () => h.database, kf: kfApiFor(accountOfSim(h.sim), () => h.database), now: () => new Date(h.sim.clock.now()) });
    // WeChat rejects the token in hand, and a new one is refused (this server's address not on the
    // account's IP whitelist), then dropped after WeChat had the request: neither says anything of
    // the message, which never left.
    h.sim.faults.inject({ path: SEND, errcode: 40001, times: 1 });
    h.sim.faults.inject({ path: '/cgi-bin/stable_token', errcode: 40164, times: 1 });
    await fresh().runOnce();
    let [row] = await listOutboxFor(h.database.db, { openid: 'o_notoken' });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: 40164 });
    expect(row!.lastError).toContain('no access token');
    h.sim.faults.inject({ path: '/cgi-bin/stable_token', dropAfterActing: true, times: 1 });
    h.sim.clock.advance(10_000);
    await fresh().runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_notoken' });
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastErrcode: null });
    expect(h.sim.follower('o_notoken').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(0);

    h.sim.clock.advance(10_000);
    await fresh().runOnce();
    [row] = await listOutboxFor(h.database.db, { openid: 'o_notoken' });
    expect(row!.status).toBe('sent');
    expect(h.sim.follower('o_notoken').inbox().filter((m) => m.text.includes('排在第'))).toHaveLength(1);
  });

  it('a running dispatcher delivers in the background without being asked', async () => {
    const { OutboxDispatcher } = await import('@/lib/outbox/dispatcher');
    // now: undefined, exactly as the runtime passes it when no clock is configured.
    const background = new OutboxDispatcher({ database: () => h.database, kf: h.runtime.kf, pollMs: 50, now: undefined });
    background.start();
    try {
      await h.sim.follower('o_bg').sendText('客服');
      const deadline = Date.now() + 5000;
      // The place in line is the one text the outbox sends here (the transfer is the push's own reply).
      const placeSent = () => h.sim.follower('o_bg').inbox().some((m) => m.text.includes('排在第'));
      while (!placeSent() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(h.sim.follower('o_bg').inbox().at(-1)?.text).toContain('排在第 1 位');
    } finally {
      await background.stop();
    }
  });

  it('final errors are kept with their errcode', async () => {
    h.sim.faults.inject({ path: SEND, errcode: 48002, times: 1 });
    await h.sim.follower('o_block').sendText('客服');
    await h.drainOutbox();
    const [row] = await listOutboxFor(h.database.db, { openid: 'o_block' });
    expect(row).toMatchObject({ status: 'failed', lastErrcode: 48002 });
  });

  it('several keywords before the outbox runs: the follower hears their place once, from the newest update', async () => {
    const follower = h.sim.follower('o_repeat');
    for (let i = 0; i < 4; i++) await follower.sendText('客服');
    await h.drainOutbox();
    const rows = await listOutboxFor(h.database.db, { openid: 'o_repeat' });
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'sent']);
    expect(rows[0]?.lastError).toMatch(/newer place-in-line update/);
    const sends = h.sim.calls({ path: SEND }).filter((c) => (c.body as { touser?: string }).touser === 'o_repeat');
    expect(sends).toHaveLength(1);
    expect(follower.inbox().at(-1)?.text).toContain('排在第 1 位');
    // One send of the five spent; four left for the greeting, the closing and what the agent writes.
    const [grant] = await h.database.db.select().from(followers).where(eq(followers.openid, 'o_repeat'));
    expect(grant?.messageSendsLeft).toBe(4);

    // A keyword after that round is answered with the place again.
    await follower.sendText('客服');
    await h.drainOutbox();
    expect((await listOutboxFor(h.database.db, { openid: 'o_repeat' })).map((r) => r.status).at(-1)).toBe('sent');
    expect(h.sim.calls({ path: SEND }).filter((c) => (c.body as { touser?: string }).touser === 'o_repeat')).toHaveLength(2);
  });

  it('queue updates are skipped before they eat the budget a greeting needs', async () => {
    const follower = h.sim.follower('o_budget');
    // One keyword queues a place-in-line update; three more valuable texts for the same follower go
    // first in the batch and leave two of the five sends, the two kept for greeting and closing.
    // The texts are queued first: due from the database's now(), in microseconds, they were at times
    // not yet due for a claim made within the same millisecond by the dispatcher's clock, and the
    // place update then went out alone, on a budget of five.
    await enqueueOutbox(
      h.database.db,
      [1, 2, 3].map((n) => ({ kind: 'test_text', openid: 'o_budget', priority: OUTBOX_PRIORITY.greeting, payload: textPayload(`text ${n}`) })),
    );
    await follower.sendText('客服');
    await h.drainOutbox();
    const rows = await listOutboxFor(h.database.db, { openid: 'o_budget' });
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['test_text', 'sent'],
      ['test_text', 'sent'],
      ['test_text', 'sent'],
      ['queue_position', 'skipped'],
    ]);
    expect(rows[3]?.lastError).toMatch(/budget/);
    expect(h.sim.calls({ path: SEND }).filter((c) => (c.body as { touser?: string }).touser === 'o_budget')).toHaveLength(3);
    // Our count agrees with WeChat's: three of the five spent.
    const [grant] = await h.database.db.select().from(followers).where(eq(followers.openid, 'o_budget'));
    expect(grant?.messageSendsLeft).toBe(2);
  });
});
