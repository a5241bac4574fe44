// The live page's push path: a change to customer sessions (through the real webhook and the fake
// WeChat) NOTIFYs once per statement, one hub per instance fans it out to every open event stream,
// a reconnect replays what it missed or is told to refresh, and closed streams leave nothing behind.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { CHANNEL } from '@/db/listen';
import { openPostgres } from '@/db/engines/postgres';
import { rawExecutor } from '@/db/queries/raw';
import { LIVE_EVENT_INTERVAL_MS, LiveHub, liveHub, type LiveEvent } from '@/lib/live/hub';
import { readLiveQueueShared } from '@/lib/live/shared-read';
import { MAX_UNSENT_BYTES, streamLiveEvents } from '@/lib/live/sse';
import { testDatabases } from './databases';
import { startKfHarness, type KfHarness } from './kf-harness';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** An open event stream, read as events, as a browser's EventSource would. */
function openStream(hub: LiveHub, opts: { lastEventId?: string; keepAliveMs?: number } = {}) {
  // The writable side stands for the Node response; the test reads the other side.
  const sink = new PassThrough();
  void streamLiveEvents(sink, { hub, lastEventId: opts.lastEventId ?? null, keepAliveMs: opts.keepAliveMs });
  const events: SseEvent[] = [];
  let buffer = '';
  let ended = false;
  sink.setEncoding('utf8');
  sink.on('data', (chunk: string) => {
    buffer += chunk;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else {
          const at = line.indexOf(': ');
          const field = line.slice(0, at) as keyof SseEvent;
          if (field === 'id' || field === 'event' || field === 'data') event[field] = line.slice(at + 2);
        }
      }
      events.push(event);
    }
  });
  const gone = new Promise<void>((resolve) => {
    const end = () => {
      ended = true;
      resolve();
    };
    sink.once('end', end);
    sink.once('close', end);
  });
  return {
    events,
    sink,
    get ended() {
      return ended;
    },
    of: (kind: string) => events.filter((e) => e.event === kind),
    /** The browser goes away. */
    async close() {
      sink.destroy();
      await gone;
    },
  };
}

function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`not in time: ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

const idsOf = (e: SseEvent) => (JSON.parse(e.data ?? '{}') as { ids: number[] }).ids;

async function sessionIdOf(database: DatabaseHandle, openid: string): Promise<number> {
  const rows = await rawExecutor(database).query<{ id: number }>('select id from customer_sessions where openid = $1 order by id desc limit 1', [openid]);
  return Number(rows[0]!.id);
}

describe.each(testDatabases)('live events on $kind', (testDb) => {
  let h: KfHarness;
  beforeAll(async () => {
    h = await startKfHarness(testDb);
  });
  afterAll(() => h.close());

  it('a follower queued through the webhook reaches every open page through one listener', async () => {
    const hub = new LiveHub(h.database);
    const pages = [openStream(hub), openStream(hub), openStream(hub)];
    await waitFor(() => pages.every((p) => p.of('ready').length === 1), 'every page ready');
    expect(hub.listenerCount).toBe(3);

    await h.addAgent('live0');
    await h.sim.follower('o_live_1').sendText('客服');
    const id = await sessionIdOf(h.database, 'o_live_1');
    await waitFor(() => pages.every((p) => p.of('sessions').some((e) => idsOf(e).includes(id))), 'the queued session on every page');
    // ids and kinds only: nothing of the follower's message or openid
    for (const page of pages) expect(page.events.map((e) => e.data ?? '').join()).not.toContain('o_live_1');

    if (h.database.kind === 'postgres') {
      const listening = await rawExecutor(h.database).query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'`,
        [],
      );
      expect(listening[0]!.n).toBe(1);
    }
    await Promise.all(pages.map((p) => p.close()));
  });

  it('an accept and a close in the fake WeChat each reach the page, and a statement that changes nothing sends nothing', async () => {
    const hub = new LiveHub(h.database);
    const page = openStream(hub);
    await waitFor(() => page.of('ready').length === 1, 'ready');
    const agent = await h.addAgent('live1');
    await h.sim.follower('o_live_2').sendText('客服');
    await waitFor(() => page.of('sessions').length === 1, 'queued');
    const id = await sessionIdOf(h.database, 'o_live_2');

    await h.sim.agents.accept(agent, 'o_live_2');
    await h.sim.settled();
    await waitFor(() => page.of('sessions').length === 2, 'accepted');
    await h.sim.agents.close(agent, 'o_live_2');
    await h.sim.settled();
    await waitFor(() => page.of('sessions').length === 3, 'closed');
    expect(page.of('sessions').every((e) => idsOf(e).includes(id))).toBe(true);

    await rawExecutor(h.database).query(`update customer_sessions set updated_at = now() where id = -1`, []);
    await h.sim.follower('o_live_2').sendText('just chatting');
    await new Promise((r) => setTimeout(r, 200));
    expect(page.of('sessions')).toHaveLength(3);
    await page.close();
  });

  it('a reconnect with Last-Event-ID gets what it missed; an id from before a restart gets "refresh"', async () => {
    const hub = new LiveHub(h.database);
    const first = openStream(hub);
    await waitFor(() => first.of('ready').length === 1, 'ready');
    const seen = first.of('ready')[0]!.id!;
    await first.close();
    const keeper = openStream(hub); // keeps the hub listening while the page is away
    await waitFor(() => keeper.of('ready').length === 1, 'keeper ready');

    await h.sim.follower('o_live_3').sendText('客服');
    await waitFor(() => keeper.of('sessions').length === 1, 'the change while away');
    const again = openStream(hub, { lastEventId: seen });
    await waitFor(() => again.of('sessions').length === 1, 'replayed');
    expect(again.of('sessions')[0]!.id).toBe(keeper.of('sessions')[0]!.id);
    expect(again.of('refresh')).toHaveLength(0);

    const restarted = new LiveHub(h.database);
    const afterRestart = openStream(restarted, { lastEventId: again.of('sessions')[0]!.id });
    await waitFor(() => afterRestart.of('refresh').length === 1, 'refresh after a restart');
    await Promise.all([keeper.close(), again.close(), afterRestart.close()]);
  });

  it('a burst of notifications becomes one event per kind, with every id', async () => {
    const hub = new LiveHub(h.database);
    const page = openStream(hub);
    await waitFor(() => page.of('ready').length === 1, 'ready');
    hub.publish('sessions', JSON.stringify({ kind: 'sessions', ids: [101, 102] }));
    hub.publish('sessions', JSON.stringify({ kind: 'sessions', ids: [102, 103] }));
    hub.publish('agents', JSON.stringify({ kind: 'presence' }));
    await waitFor(() => page.of('sessions').length === 1 && page.of('agents').length === 1, 'the burst');
    await new Promise((r) => setTimeout(r, 200));
    expect(page.of('sessions')).toHaveLength(1);
    expect(idsOf(page.of('sessions')[0]!)).toEqual([101, 102, 103]);
    await page.close();
  });

  it('under a stream of notifications sends at most one event per interval, and at once after a quiet spell', async () => {
    const hub = new LiveHub(h.database);
    const arrivals: { at: number; ids: number[] }[] = [];
    const remove = await hub.add((e) => e.kind === 'sessions' && arrivals.push({ at: Date.now(), ids: e.ids }));
    // A notification every 20 ms for a second: a few events, each with every id since the last.
    for (let id = 1; id <= 50; id++) {
      hub.publish('sessions', JSON.stringify({ kind: 'sessions', ids: [id] }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => arrivals.flatMap((a) => a.ids).length === 50, 'every id');
    expect(arrivals.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]!.at - arrivals[i - 1]!.at).toBeGreaterThanOrEqual(LIVE_EVENT_INTERVAL_MS - 5);
    expect(arrivals.flatMap((a) => a.ids)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Quiet for longer than the interval: the next change is not held back.
    await new Promise((r) => setTimeout(r, LIVE_EVENT_INTERVAL_MS + 50));
    const sentAt = Date.now();
    hub.publish('sessions', JSON.stringify({ kind: 'sessions', ids: [99] }));
    await waitFor(() => arrivals.at(-1)!.ids.includes(99), 'the change after a quiet spell');
    expect(arrivals.at(-1)!.at - sentAt).toBeLessThan(LIVE_EVENT_INTERVAL_MS / 2);
    await remove();
  });

  it('pages refetching after one event share one read of the queue; the next event makes a new one', async () => {
    const page = openStream(liveHub(h.database));
    await waitFor(() => page.of('ready').length === 1, 'ready');
    const params = () => ({ now: new Date(), startOfToday: new Date(Date.UTC(2000, 0, 1)) });
    const first = readLiveQueueShared(h.database, params());
    expect(readLiveQueueShared(h.database, params())).toBe(first);
    const before = page.of('sessions').length;
    await h.sim.follower('o_live_shared').sendText('客服');
    await waitFor(() => page.of('sessions').length > before, 'the event');
    const after = readLiveQueueShared(h.database, params());
    expect(after).not.toBe(first);
    expect((await after).waiting.map((w) => w.openid)).toContain('o_live_shared');
    expect((await first).waiting.map((w) => w.openid)).not.toContain('o_live_shared');
    await page.close();
  });

  it('sends keep-alive comments on an idle stream', async () => {
    const page = openStream(new LiveHub(h.database), { keepAliveMs: 30 });
    await waitFor(() => page.events.filter((e) => e.comment === 'keep-alive').length >= 2, 'two keep-alives');
    await page.close();
  });

  it('ends the stream of a page that stops reading, and removes its listener', async () => {
    // The hub's part is fed by hand: what matters is what the stream does with events it cannot send.
    let deliver: ((event: LiveEvent) => void) | undefined;
    let removed = false;
    const hub = {
      add: async (listener: (event: LiveEvent) => void) => {
        deliver = listener;
        return async () => void (removed = true);
      },
      since: () => [],
      lastEventId: 'test-0',
    } as unknown as LiveHub;
    const page = openStream(hub);
    await waitFor(() => page.of('ready').length === 1, 'ready');
    // A stalled tab: nothing reads the response any more, so what is written stays unsent.
    page.sink.pause();
    page.sink.removeAllListeners('data');
    const ids = Array.from({ length: 200 }, (_, i) => 1_000_000 + i);
    for (let i = 1; i <= 100 && !page.sink.writableEnded; i++) deliver!({ id: `test-${i}`, kind: 'sessions', ids, more: false });
    expect(page.sink.writableEnded).toBe(true);
    expect(page.sink.writableLength).toBeLessThan(MAX_UNSENT_BYTES + 2048);
    await waitFor(() => removed, 'its listener removed');
    await page.close();
  });

  it('leaves no listener behind after 100 pages connect and go away', async () => {
    const hub = new LiveHub(h.database);
    for (let i = 0; i < 100; i++) {
      const page = openStream(hub);
      await waitFor(() => page.of('ready').length === 1, 'ready');
      await page.close();
    }
    expect(hub.listenerCount).toBe(0);
    // the last page out stops the hub's LISTENs (db/listen.ts keeps its channels on the handle; the
    // settings cache keeps its own channel, which the hub never had)
    const channels = () => (h.database as unknown as Record<symbol, Map<string, unknown> | undefined>)[Symbol.for('wekf.listenChannels')];
    await waitFor(() => !channels()?.has(CHANNEL.live) && !channels()?.has(CHANNEL.agents), 'no live channel listened to');
    // and the hub still works for the next page
    const page = openStream(hub);
    await waitFor(() => page.of('ready').length === 1, 'ready');
    await h.sim.follower('o_live_4').sendText('客服');
    await waitFor(() => page.of('sessions').length === 1, 'delivered after the churn');
    await page.close();
  });
});

// Behind a load balancer: two instances, each its own database handle and hub, one Postgres.
for (const testDb of testDatabases.filter((d) => d.kind === 'postgres')) {
  describe('live events across instances', () => {
    let h: KfHarness;
    beforeAll(async () => {
      h = await startKfHarness(testDb);
    });
    afterAll(() => h.close());

    it('a keyword through instance A reaches a page served by instance B', async () => {
      const other = await openPostgres(h.databaseUrl!, { max: 2 });
      try {
        const hubB = new LiveHub(other);
        const page = openStream(hubB);
        await waitFor(() => page.of('ready').length === 1, 'ready on B');
        await h.addAgent('across');
        await h.sim.follower('o_live_5').sendText('客服');
        const id = await sessionIdOf(h.database, 'o_live_5');
        await waitFor(() => page.of('sessions').some((e) => idsOf(e).includes(id)), 'the change made through A, on B');
        await page.close();
      } finally {
        await other.close();
      }
    });
  });
}
