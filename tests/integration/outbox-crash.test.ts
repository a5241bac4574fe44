// What a dispatcher that dies mid-batch leaves behind: every send that came back is already written
// down, so a dispatcher started after the lease sends again only the rows that were on the wire.
// WeChat is a stub; the databases are real.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { enqueueOutbox, listOutboxFor } from '@/db/queries/outbox';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { OutboxDispatcher } from '@/lib/outbox/dispatcher';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { CustomMessage } from '@/lib/wechat/kf-types';
import { emptiedForEachTest, testDatabases } from './databases';

const LEASE_MS = 30_000;
const contentOf = (msg: CustomMessage) => (msg as { text: { content: string } }).text.content;

describe.each(testDatabases)('outbox after a crash on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let clock: number;

  beforeEach(async () => {
    ({ handle: database, drop } = await testDb.open());
    clock = Date.now() + 1000;
  });
  afterEach(() => drop());

  const dispatcher = (kf: KfApi, concurrentSends: number) =>
    new OutboxDispatcher({ database: () => database, kf, now: () => new Date(clock), leaseMs: LEASE_MS, concurrentSends });

  async function queueMessages(followers: number, perFollower: number): Promise<string[]> {
    const openids = Array.from({ length: followers }, (_, f) => `o_crash_${f}`);
    const rows = openids.flatMap((openid) =>
      Array.from({ length: perFollower }, (_, i) => ({ kind: 'greeting', openid, priority: OUTBOX_PRIORITY.greeting, payload: textPayload(`${openid} #${i}`) })),
    );
    await enqueueOutbox(database.db, rows);
    return openids;
  }

  const statusOf = async (openid: string, content: string) => {
    const rows = await listOutboxFor(database.db, { openid });
    return rows.find((r) => (r.payload as { text: { content: string } }).text.content === content)?.status;
  };

  it('one send at a time: a sent row is written down before the next send starts', async () => {
    const [openid] = await queueMessages(1, 5);
    const returned: string[] = [];
    const seenAtNextSend: (string | undefined)[] = [];
    const kf = {
      async sendCustomMessage(msg: CustomMessage) {
        for (const content of returned) seenAtNextSend.push(await statusOf(msg.touser, content));
        returned.push(contentOf(msg));
      },
    } as unknown as KfApi;

    expect(await dispatcher(kf, 1).runOnce()).toBe(5);
    expect(returned).toHaveLength(5);
    // Sends 2..5 each saw every earlier send recorded: 1 + 2 + 3 + 4 checks.
    expect(seenAtNextSend).toEqual(Array(10).fill('sent'));
    expect((await listOutboxFor(database.db, { openid: openid! })).map((r) => r.status)).toEqual(Array(5).fill('sent'));
  });

  it('at no moment are more rows sent or sending without being written down than concurrentSends', async () => {
    const concurrency = 3;
    const openids = await queueMessages(4, 6);
    const started: { openid: string; content: string }[] = [];
    const unwrittenAtSend: number[] = [];
    const kf = {
      async sendCustomMessage(msg: CustomMessage) {
        started.push({ openid: msg.touser, content: contentOf(msg) });
        const statuses = await Promise.all(started.map((s) => statusOf(s.openid, s.content)));
        unwrittenAtSend.push(statuses.filter((status) => status !== 'sent').length);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    } as unknown as KfApi;

    expect(await dispatcher(kf, concurrency).runOnce()).toBe(24);
    expect(started).toHaveLength(24);
    expect(Math.max(...unwrittenAtSend)).toBeLessThanOrEqual(concurrency);
    for (const openid of openids) expect((await listOutboxFor(database.db, { openid })).every((r) => r.status === 'sent')).toBe(true);
  });

  it('a dispatcher abandoned mid-batch: after the lease only the rows on the wire are sent again', async () => {
    const concurrency = 4;
    await queueMessages(12, 5);
    const calls = new Map<string, number>();
    const count = (msg: CustomMessage) => calls.set(contentOf(msg), (calls.get(contentOf(msg)) ?? 0) + 1);
    let answered = 0;
    let hung = 0;
    let allHung!: () => void;
    const crashed = new Promise<void>((resolve) => (allHung = resolve));
    // The first 23 sends come back; every send after them hangs, as a process frozen and then killed
    // would leave them: reached WeChat, never answered.
    const dying = {
      async sendCustomMessage(msg: CustomMessage) {
        count(msg);
        if (answered < 23) {
          answered += 1;
          return;
        }
        hung += 1;
        if (hung === concurrency) allHung();
        await new Promise(() => {});
      },
    } as unknown as KfApi;
    void dispatcher(dying, concurrency).runOnce();
    await crashed;
    // Whatever the dead dispatcher had written by now is all a restarted one will know.
    await new Promise((resolve) => setTimeout(resolve, 200));

    clock += LEASE_MS;
    const healthy = {
      async sendCustomMessage(msg: CustomMessage) {
        count(msg);
      },
    } as unknown as KfApi;
    const restarted = dispatcher(healthy, concurrency);
    await restarted.drain();

    expect(calls.size).toBe(60);
    const twice = [...calls.values()].filter((n) => n === 2).length;
    expect([...calls.values()].every((n) => n === 1 || n === 2)).toBe(true);
    // The hung sends, one per follower queue the dead dispatcher was working through, and no more.
    expect(twice).toBe(concurrency);
  });
});
