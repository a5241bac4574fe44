import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { listOutboxFor } from '@/db/queries/outbox';
import { DEFERRED, recordPlainMessages, REPLAYED, type PlainMessage } from '@/db/queries/plain-message';
import { customerSessions } from '@/db/schema';
import { pgliteThreadDatabase, testDatabases } from './databases';

// The ordinary statement (db/queries/plain-message.ts) with keywords in its batch: a follower in
// line or with an agent is answered there, and a place in line queued for one in line; a keyword
// from anyone else is deferred to the keyword transaction with nothing of it stored. The routes
// themselves are held to lib/kf/routing.ts's table through the webhook in routing.test.ts.

const NOW = new Date('2026-12-01T02:00:00Z');
const PLACE = { payload: JSON.stringify({ msgtype: 'text', text: { content: 'Q {position}/{count}' } }), priority: 5 };
let key = 1;

function push(openid: string, opts: { keyword?: 'repeat' | 'silent'; dedupeKey?: string } = {}): PlainMessage {
  return {
    dedupeKey: opts.dedupeKey ?? `plain:${key++}`,
    openid,
    msgType: 'text',
    summary: opts.keyword ? '客服' : '你好',
    replyWithoutSession: 'hint',
    replyWhileWaiting: 'transfer',
    replyToAgent: { before: 'agent:', after: '' },
    keyword: opts.keyword ? { placeInLine: opts.keyword === 'repeat' ? PLACE : null } : undefined,
  };
}

describe.each([...testDatabases, pgliteThreadDatabase])('ordinary statement with keywords on $label', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ handle, drop } = await testDb.open()));
  afterAll(() => drop());

  async function session(openid: string, state: 'waiting' | 'active' | 'expired-wait'): Promise<number> {
    const values =
      state === 'active'
        ? { openid, status: 'active' as const, kfAccount: 'ann@acct', queuedAt: NOW, startedAt: NOW }
        : { openid, status: 'waiting' as const, queuedAt: NOW, waitExpiresAt: new Date(NOW.getTime() + (state === 'waiting' ? 1 : -1) * 60_000) };
    const [row] = await handle.db.insert(customerSessions).values(values).returning({ id: customerSessions.id });
    return row!.id;
  }

  async function stored(dedupeKey: string) {
    const result = await handle.db.execute(sql`select state, reply from inbound_messages where dedupe_key = ${dedupeKey}`);
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { state: string; reply: string }[];
  }

  async function followerSeen(openid: string): Promise<boolean> {
    const result = await handle.db.execute(sql`select 1 from followers where openid = ${openid}`);
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).length > 0;
  }

  const places = async (openid: string) =>
    (await listOutboxFor(handle.db, { openid })).map((row) => ({ kind: row.kind, priority: row.priority, payload: row.payload }));

  it('defers a keyword from a follower with no open session, or whose wait ran out, and stores nothing of it', async () => {
    await session('o_expired', 'expired-wait');
    const [none, expired] = [push('o_none', { keyword: 'repeat' }), push('o_expired', { keyword: 'repeat' })];
    expect(await recordPlainMessages(handle, [none, expired], NOW)).toEqual([DEFERRED, DEFERRED]);
    expect(await stored(none.dedupeKey)).toEqual([]);
    expect(await stored(expired.dedupeKey)).toEqual([]);
    expect(await followerSeen('o_none')).toBe(false); // no grant renewed for a push not stored
    expect(await places('o_none')).toEqual([]);
    expect(await places('o_expired')).toEqual([]);
  });

  it('answers a waiting follower’s keyword with the transfer and queues their place in line, tied to their session', async () => {
    const id = await session('o_waiting', 'waiting');
    const keyword = push('o_waiting', { keyword: 'repeat' });
    expect(await recordPlainMessages(handle, [keyword], NOW)).toEqual([{ reply: 'transfer', queued: true }]);
    expect(await stored(keyword.dedupeKey)).toEqual([{ state: 'done', reply: 'transfer' }]);
    expect(await places('o_waiting')).toEqual([
      { kind: 'queue_position', priority: 5, payload: { msgtype: 'text', text: { content: 'Q {position}/{count}' }, whileWaiting: id } },
    ]);

    // WeChat's retry: the stored reply, and no second place in line.
    expect(await recordPlainMessages(handle, [push('o_waiting', { keyword: 'repeat', dedupeKey: keyword.dedupeKey })], NOW)).toEqual([
      { reply: 'transfer', queued: false },
    ]);
    expect(await places('o_waiting')).toHaveLength(1);
  });

  it('queues nothing when the settings turn repeatPosition off, or when an agent holds the session', async () => {
    await session('o_silent', 'waiting');
    await session('o_served', 'active');
    const results = await recordPlainMessages(handle, [push('o_silent', { keyword: 'silent' }), push('o_served', { keyword: 'repeat' })], NOW);
    expect(results).toEqual([
      { reply: 'transfer', queued: false },
      { reply: 'agent:ann@acct', queued: false },
    ]);
    expect(await places('o_silent')).toEqual([]);
    expect(await places('o_served')).toEqual([]);
  });

  it('decides each push of a mixed batch on its own, in order', async () => {
    await session('o_mixed_waiting', 'waiting');
    const batch = [
      push('o_mixed_new', { keyword: 'repeat' }),
      push('o_mixed_new'),
      push('o_mixed_waiting', { keyword: 'repeat' }),
      push('o_mixed_waiting'),
    ];
    expect(await recordPlainMessages(handle, batch, NOW)).toEqual([
      DEFERRED,
      { reply: 'hint', queued: true },
      { reply: 'transfer', queued: true },
      { reply: 'transfer', queued: true },
    ]);
    expect(await places('o_mixed_waiting')).toHaveLength(1);
    expect(await places('o_mixed_new')).toEqual([]);
  });

  it('refuses a replay in a batch with keywords, storing nothing of it', async () => {
    await session('o_replayed', 'waiting');
    const query = { timestamp: String(Math.floor(NOW.getTime() / 1000)), nonce: 'n1', signature: 'ab'.repeat(20), bodyHash: 'first' };
    const first = { ...push('o_replayed', { keyword: 'repeat' }), query };
    const replay = { ...push('o_replayed', { keyword: 'repeat' }), query: { ...query, bodyHash: 'other' } };
    expect(await recordPlainMessages(handle, [first], NOW)).toEqual([{ reply: 'transfer', queued: true }]);
    expect(await recordPlainMessages(handle, [replay], NOW)).toEqual([REPLAYED]);
    expect(await stored(replay.dedupeKey)).toEqual([]);
    expect(await places('o_replayed')).toHaveLength(1);
  });
});
