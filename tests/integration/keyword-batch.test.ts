import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { upsertAgent } from '@/db/queries/agents';
import { activateSession, listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { listOutboxFor } from '@/db/queries/outbox';
import { runKeywordBatch as runBatch, type KeywordItem } from '@/lib/kf/keyword-batch';
import { defaultServiceHours } from '@/lib/service-hours';
import type { KfSettings } from '@/lib/kf/settings';
import { DEFAULT_TEMPLATES } from '@/lib/kf/templates';
import { parseXml } from '@/lib/wechat/xml';
import { emptiedForEachTest, pgliteThreadDatabase, testDatabases } from './databases';

// The keyword batch's decisions, made by the database in one round trip (keyword-messages.ts), on
// both databases. Replies are shown as a label of what WeChat will read in them (see `label`).
const settings = (schedule = 'mon-sun 00:00-24:00'): KfSettings => ({
  keywords: ['客服'],
  hours: defaultServiceHours(schedule, 'Asia/Shanghai'),
  waitMinutes: 30,
  repeatPosition: true,
  templates: { ...DEFAULT_TEMPLATES, queue: 'Q {position}/{count}', agentAlert: 'A {position}/{count}', noAgents: 'none' },
});
const now = new Date('2026-11-30T03:00:00Z'); // a Monday, 11:00 in Shanghai
let nextKey = 1;

function item(openid: string, s = settings()): KeywordItem {
  const dedupeKey = `${openid}:${nextKey++}`;
  return { push: { dedupeKey, openid, msgType: 'text', summary: '客服' }, target: { FromUserName: openid, ToUserName: 'gh_oa' }, settings: s, now };
}

/** transfer:<to>[:<agent>], text:<content> or success: what the reply XML tells WeChat. */
function label(reply: string | null): string | null {
  if (reply === null || reply === 'success') return reply;
  const xml = parseXml(reply);
  if (xml.MsgType === 'text') return `text:${String(xml.Content)}`;
  const agent = (xml.TransInfo as { KfAccount?: string } | undefined)?.KfAccount;
  return `transfer:${String(xml.ToUserName)}${agent ? `:${agent}` : ''}`;
}

async function runKeywordBatch(...args: Parameters<typeof runBatch>) {
  return (await runBatch(...args)).map((result) => ({ ...result, reply: label(result.reply) }));
}

async function outboxOf(database: DatabaseHandle, openid: string) {
  return (await listOutboxFor(database.db, { openid })).map((row) => {
    const payload = row.payload as { text: { content: string }; whileWaiting?: number };
    return [row.kind, payload.text.content, payload.whileWaiting];
  });
}

/** An active agent `name@acct`; alerts go to `kfOpenid` when there is one. */
const addAgent = (database: DatabaseHandle, name: string, kfOpenid: string | null) =>
  upsertAgent(database.db, { kfAccount: `${name}@acct`, nickname: name, status: 'active', kfOpenid });

const sessionId = async (database: DatabaseHandle, openid: string) => (await listSessionsByOpenid(database.db, { openid }))[0]!.id;

describe.each([...testDatabases, pgliteThreadDatabase])('keyword batch on $label', (base) => {
  // One database per engine for the file, emptied for each test: PGlite's own thread takes seconds to start.
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  async function withDatabase(fn: (database: DatabaseHandle) => Promise<void>) {
    const { handle, drop } = await testDb.open();
    try {
      await fn(handle);
    } finally {
      await drop();
    }
  }

  it('queues new followers, each with their place and an alert to every agent with an openid, tied to the new session', () =>
    withDatabase(async (database) => {
      await addAgent(database, 'a1', 'o_agent1');
      await addAgent(database, 'a2', 'o_agent2');
      await addAgent(database, 'a3', null);
      const results = await runKeywordBatch(database, [item('o_a'), item('o_b')], now);
      expect(results).toEqual([
        { reply: 'transfer:o_a', route: 'open', queuedOutbound: true },
        { reply: 'transfer:o_b', route: 'open', queuedOutbound: true },
      ]);
      const [a, b] = [await sessionId(database, 'o_a'), await sessionId(database, 'o_b')];
      expect((await listSessionsByOpenid(database.db, { openid: 'o_a' }))[0]).toMatchObject({
        status: 'waiting',
        waitExpiresAt: new Date(now.getTime() + 30 * 60_000),
      });
      expect(a).toBeLessThan(b); // the line keeps the batch's order
      expect(await outboxOf(database, 'o_a')).toEqual([['queue_position', 'Q {position}/{count}', a]]);
      expect(await outboxOf(database, 'o_agent1')).toEqual([
        ['agent_alert', 'A {position}/{count}', a],
        ['agent_alert', 'A {position}/{count}', b],
      ]);
      expect(await outboxOf(database, 'o_agent2')).toHaveLength(2);
    }));

  it('a second keyword from a follower queued earlier in the batch re-sends their place and opens nothing more', () =>
    withDatabase(async (database) => {
      await addAgent(database, 'a1', 'o_agent1');
      const results = await runKeywordBatch(database, [item('o_a'), item('o_a')], now);
      expect(results.map((r) => [r.reply, r.route])).toEqual([
        ['transfer:o_a', 'open'],
        ['transfer:o_a', 'requeue'],
      ]);
      expect(await listSessionsByOpenid(database.db, { openid: 'o_a' })).toHaveLength(1);
      const a = await sessionId(database, 'o_a');
      expect(await outboxOf(database, 'o_a')).toEqual([
        ['queue_position', 'Q {position}/{count}', a],
        ['queue_position', 'Q {position}/{count}', a],
      ]);
      expect(await outboxOf(database, 'o_agent1')).toHaveLength(1);
    }));

  it('a waiting follower gets their place again and a transfer; an active one goes back to their agent', () =>
    withDatabase(async (database) => {
      await addAgent(database, 'a1', 'o_agent1');
      await runKeywordBatch(database, [item('o_wait'), item('o_active')], now);
      await activateSession(database.db, { id: await sessionId(database, 'o_active'), kfAccount: 'a1@acct', now });

      const results = await runKeywordBatch(database, [item('o_wait'), item('o_active')], now);
      expect(results.map((r) => [r.reply, r.route])).toEqual([
        ['transfer:o_wait', 'requeue'],
        ['transfer:o_active:a1@acct', 'transfer_to_agent'],
      ]);
      expect(results.every((r) => r.queuedOutbound)).toBe(true);
      const waiting = await sessionId(database, 'o_wait');
      expect(await outboxOf(database, 'o_wait')).toEqual([
        ['queue_position', 'Q {position}/{count}', waiting],
        ['queue_position', 'Q {position}/{count}', waiting],
      ]);
      expect(await outboxOf(database, 'o_active')).toHaveLength(1); // only the first batch's
      expect(await outboxOf(database, 'o_agent1')).toHaveLength(2); // no new alerts
    }));

  it('outside service hours, or with no active agent, answers with text and queues no one', () =>
    withDatabase(async (database) => {
      const [closed] = await runKeywordBatch(database, [item('o_late', settings('sat 09:00-10:00'))], now);
      expect(closed).toEqual({ reply: expect.stringMatching(/^text:.*09:00/), route: 'off_hours', queuedOutbound: false });
      const [noAgents] = await runKeywordBatch(database, [item('o_early')], now);
      expect(noAgents).toEqual({ reply: 'text:none', route: 'no_agents', queuedOutbound: false });
      expect(await listSessionsByOpenid(database.db, { openid: 'o_late' })).toEqual([]);
      expect(await listSessionsByOpenid(database.db, { openid: 'o_early' })).toEqual([]);
    }));

  it('a waiting session past its expiry is expired and the follower queued afresh', () =>
    withDatabase(async (database) => {
      await addAgent(database, 'a1', null);
      await runKeywordBatch(database, [item('o_slow')], now);
      const later = new Date(now.getTime() + 31 * 60_000);
      const again = { ...item('o_slow'), now: later };
      expect((await runKeywordBatch(database, [again], later))[0]!.reply).toBe('transfer:o_slow');
      const sessions = await listSessionsByOpenid(database.db, { openid: 'o_slow' });
      expect(sessions.map((s) => [s.status, s.endReason])).toEqual([
        ['expired', 'wait_expired'],
        ['waiting', null],
      ]);
    }));

  it('answers a push stored earlier (a retry) with the stored reply and does nothing again', () =>
    withDatabase(async (database) => {
      await addAgent(database, 'a1', null);
      const first = item('o_retry');
      await runKeywordBatch(database, [first], now);
      const [retry, fresh] = await runKeywordBatch(database, [first, item('o_other')], now);
      expect(retry).toEqual({ reply: 'transfer:o_retry', route: undefined, queuedOutbound: true });
      expect(fresh!.reply).toBe('transfer:o_other');
      expect(await outboxOf(database, 'o_retry')).toHaveLength(1);
    }));
});
