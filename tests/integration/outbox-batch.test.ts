// The dispatcher's batch: what one claim reads, how a follower's budget is spent across the rows of
// one batch, and how every outcome is written back at once. WeChat is a stub that answers per
// follower, so each row's fate is known in advance; the databases are real.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { enqueueOutbox, listOutboxFor, recordOutboxOutcomes } from '@/db/queries/outbox';
import { customerSessions, followers, outbox } from '@/db/schema';
import { SKIP_REASONS } from '@/lib/outbox/skip-reasons';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { backoffMs, MAX_ATTEMPTS } from '@/lib/outbox/classify';
import { OutboxDispatcher } from '@/lib/outbox/dispatcher';
import { WechatApiError } from '@/lib/wechat/errors';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { CustomMessage } from '@/lib/wechat/kf-types';
import { emptiedForEachTest, testDatabases } from './databases';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(testDatabases)('outbox batch on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let clock: number;
  let sent: string[];
  let failures: Map<string, Error>;
  const kf = {
    async sendCustomMessage(msg: CustomMessage) {
      const failure = failures.get(msg.touser);
      if (failure) throw failure;
      sent.push(msg.touser);
    },
  } as unknown as KfApi;
  const dispatcher = (opts: { kf?: KfApi; database?: DatabaseHandle; leaseMs?: number; concurrentSends?: number } = {}) =>
    new OutboxDispatcher({
      database: () => opts.database ?? database,
      kf: opts.kf ?? kf,
      now: () => new Date(clock),
      leaseMs: opts.leaseMs,
      concurrentSends: opts.concurrentSends,
    });

  beforeEach(async () => {
    ({ handle: database, drop } = await testDb.open());
    // A little ahead of the database's clock, so rows queued with next_attempt_at = now() are due.
    clock = Date.now() + 1000;
    sent = [];
    failures = new Map();
  });
  afterEach(() => drop());

  async function seedFollower(
    openid: string,
    grants: { message?: [number, number]; event?: [number, number]; subscribed?: boolean },
  ): Promise<void> {
    const at = (ms: number | undefined) => (ms === undefined ? null : new Date(clock + ms));
    await database.db.insert(followers).values({
      openid,
      subscribed: grants.subscribed ?? true,
      messageSendsLeft: grants.message?.[0] ?? 0,
      messageGrantExpiresAt: at(grants.message?.[1]),
      eventSendsLeft: grants.event?.[0] ?? 0,
      eventGrantExpiresAt: at(grants.event?.[1]),
    });
  }

  async function queue(openid: string, priority: number, opts: { whileWaiting?: number; count?: number } = {}): Promise<void> {
    const rows = Array.from({ length: opts.count ?? 1 }, (_, i) => ({
      kind: priority === OUTBOX_PRIORITY.queuePosition ? 'queue_position' : 'greeting',
      openid,
      priority,
      payload: textPayload(`${openid} #${i}`, opts.whileWaiting === undefined ? {} : { whileWaiting: opts.whileWaiting }),
    }));
    await enqueueOutbox(database.db, rows);
  }

  async function waitingSession(openid: string, waitExpiresAt: number): Promise<number> {
    const [row] = await database.db
      .insert(customerSessions)
      .values({ openid, status: 'waiting', queuedAt: new Date(clock - MINUTE), waitExpiresAt: new Date(waitExpiresAt) })
      .returning({ id: customerSessions.id });
    return row!.id;
  }

  async function follower(openid: string) {
    const [row] = await database.db.select().from(followers).where(eq(followers.openid, openid));
    return row;
  }

  const statuses = async (openid: string) => (await listOutboxFor(database.db, { openid })).map((r) => r.status);

  // Low-value rows not tied to a session: place updates for one session claimed together are cut to
  // the newest before any budget is spent (the next test), so budgets are tested without that link.
  it('spends one follower’s budget row by row within a batch: low-value rows stop at the reserve', async () => {
    await seedFollower('o_four', { message: [5, 48 * HOUR] });
    await queue('o_four', OUTBOX_PRIORITY.queuePosition, { count: 4 });

    expect(await dispatcher().runOnce()).toBe(4);
    expect(await statuses('o_four')).toEqual(['sent', 'sent', 'sent', 'skipped']);
    expect(sent).toEqual(['o_four', 'o_four', 'o_four']);
    const [, , , kept] = await listOutboxFor(database.db, { openid: 'o_four' });
    expect(kept).toMatchObject({ lastErrcode: null, lastError: 'kept the send budget for higher-value messages' });
    expect(await follower('o_four')).toMatchObject({ messageSendsLeft: 2, eventSendsLeft: 0 });
  });

  it('place updates for one session claimed together: only the newest is sent, and it spends one send', async () => {
    await seedFollower('o_again', { message: [5, 48 * HOUR] });
    const session = await waitingSession('o_again', clock + 30 * MINUTE);
    await queue('o_again', OUTBOX_PRIORITY.queuePosition, { whileWaiting: session, count: 3 });
    await seedFollower('o_other', { message: [5, 48 * HOUR] });
    const other = await waitingSession('o_other', clock + 30 * MINUTE);
    await queue('o_other', OUTBOX_PRIORITY.queuePosition, { whileWaiting: other });

    expect(await dispatcher().runOnce()).toBe(4);
    expect(await statuses('o_again')).toEqual(['skipped', 'skipped', 'sent']);
    expect(await statuses('o_other')).toEqual(['sent']);
    expect(sent.sort()).toEqual(['o_again', 'o_other']);
    const [older] = await listOutboxFor(database.db, { openid: 'o_again' });
    expect(older).toMatchObject({ lastErrcode: null, lastError: 'a newer place-in-line update for this session went instead' });
    expect((await follower('o_again'))?.messageSendsLeft).toBe(4);
  });

  it('a valuable row goes first and its send counts against the low-value rows after it', async () => {
    await seedFollower('o_mixed', { message: [4, 48 * HOUR] });
    await queue('o_mixed', OUTBOX_PRIORITY.queuePosition, { count: 2 });
    await queue('o_mixed', OUTBOX_PRIORITY.closing);

    await dispatcher().runOnce();
    // Claimed order: closing (4 → 3), first update (3 → 2), second update kept back at 2.
    expect(await statuses('o_mixed')).toEqual(['sent', 'skipped', 'sent']);
    expect((await follower('o_mixed'))?.messageSendsLeft).toBe(2);
  });

  it('a valuable row is not sent once no sends are left (WeChat would refuse it), nor once the window has closed', async () => {
    await seedFollower('o_spent', { message: [1, 48 * HOUR] });
    await queue('o_spent', OUTBOX_PRIORITY.agentAlert, { count: 3 });
    await seedFollower('o_closed', { message: [5, -HOUR], event: [3, -MINUTE] });
    await queue('o_closed', OUTBOX_PRIORITY.greeting);

    await dispatcher().runOnce();
    expect(await statuses('o_spent')).toEqual(['sent', 'skipped', 'skipped']);
    expect(await statuses('o_closed')).toEqual(['skipped']);
    expect(sent).toEqual(['o_spent']);
    const [, spent] = await listOutboxFor(database.db, { openid: 'o_spent' });
    expect(spent).toMatchObject({ lastErrcode: null, lastError: SKIP_REASONS.spent });
    // A closed window is said as such, not as sends used up (the Agents page says the same).
    const [closed] = await listOutboxFor(database.db, { openid: 'o_closed' });
    expect(closed).toMatchObject({ lastErrcode: null, lastError: SKIP_REASONS.windowClosed });
  });

  it('writes a batch of sent, retried, failed and skipped rows back, each with its own outcome', async () => {
    await seedFollower('o_ok', { message: [5, 48 * HOUR] });
    await seedFollower('o_busy', { message: [5, 48 * HOUR] });
    await seedFollower('o_last', { message: [5, 48 * HOUR] });
    await seedFollower('o_blocked', { message: [5, 48 * HOUR] });
    await seedFollower('o_gone', { subscribed: false });
    await seedFollower('o_stale', { message: [5, 48 * HOUR] });
    await seedFollower('o_odd', { message: [5, 48 * HOUR] });
    const expired = await waitingSession('o_stale', clock - MINUTE);
    for (const openid of ['o_ok', 'o_busy', 'o_last', 'o_blocked', 'o_gone', 'o_new']) await queue(openid, OUTBOX_PRIORITY.greeting);
    await queue('o_stale', OUTBOX_PRIORITY.queuePosition, { whileWaiting: expired });
    // A whileWaiting that is no session id must not fail the claim of the whole batch.
    const oddPayload = { msgtype: 'text', text: { content: 'x' }, whileWaiting: 'x' };
    await enqueueOutbox(database.db, [{ kind: 'queue_position', openid: 'o_odd', priority: OUTBOX_PRIORITY.queuePosition, payload: oddPayload }]);
    // o_last has been tried before: this claim is its last attempt.
    await database.db.update(outbox).set({ attempts: MAX_ATTEMPTS - 1 }).where(eq(outbox.openid, 'o_last'));
    failures.set('o_busy', new WechatApiError(45011, 'api freq out of limit'));
    failures.set('o_last', new WechatApiError(45011, 'api freq out of limit'));
    failures.set('o_blocked', new WechatApiError(48002, 'api blocked'));

    expect(await dispatcher().runOnce()).toBe(8);
    const row = async (openid: string) => (await listOutboxFor(database.db, { openid }))[0];
    expect(await row('o_ok')).toMatchObject({ status: 'sent', attempts: 1, lastErrcode: null, lastError: null });
    expect((await row('o_ok'))!.sentAt?.getTime()).toBe(clock);
    expect(await row('o_new')).toMatchObject({ status: 'sent' });
    const busy = await row('o_busy');
    expect(busy).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: 45011 });
    expect(busy!.nextAttemptAt.getTime()).toBe(clock + backoffMs(1));
    expect(await row('o_last')).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastErrcode: 45011 });
    expect(await row('o_blocked')).toMatchObject({ status: 'failed', lastErrcode: 48002 });
    expect(await row('o_gone')).toMatchObject({ status: 'skipped', lastErrcode: 43004, lastError: 'follower unsubscribed' });
    expect(await row('o_stale')).toMatchObject({ status: 'skipped', lastError: 'the follower is no longer waiting' });
    expect(await row('o_odd')).toMatchObject({ status: 'skipped', lastError: 'the follower is no longer waiting' });
    expect(sent.sort()).toEqual(['o_new', 'o_ok']);
    expect((await follower('o_ok'))?.messageSendsLeft).toBe(4);
    expect((await follower('o_busy'))?.messageSendsLeft).toBe(5);
    expect(await follower('o_new')).toBeUndefined();

    // The retry goes out once due, and its earlier error is cleared.
    failures.clear();
    clock += backoffMs(1);
    expect(await dispatcher().runOnce()).toBe(1);
    expect(await row('o_busy')).toMatchObject({ status: 'sent', attempts: 2, lastErrcode: null, lastError: null });
    expect((await follower('o_busy'))?.messageSendsLeft).toBe(4);
  });

  it('k sends spend the grant that expires first, then the other, and never an expired one', async () => {
    await seedFollower('o_event_first', { message: [5, 48 * HOUR], event: [3, MINUTE] });
    await seedFollower('o_message_first', { message: [2, 30_000], event: [3, MINUTE] });
    await seedFollower('o_expired_event', { message: [5, 48 * HOUR], event: [3, -1000] });
    await queue('o_event_first', OUTBOX_PRIORITY.greeting, { count: 4 });
    await queue('o_message_first', OUTBOX_PRIORITY.greeting, { count: 3 });
    await queue('o_expired_event', OUTBOX_PRIORITY.greeting, { count: 2 });

    expect(await dispatcher().runOnce()).toBe(9);
    expect(await follower('o_event_first')).toMatchObject({ eventSendsLeft: 0, messageSendsLeft: 4 });
    expect(await follower('o_message_first')).toMatchObject({ messageSendsLeft: 0, eventSendsLeft: 2 });
    expect(await follower('o_expired_event')).toMatchObject({ eventSendsLeft: 3, messageSendsLeft: 3 });
  });

  it('writing the same outcomes twice neither moves a sent row back nor spends twice', async () => {
    await seedFollower('o_twice', { message: [5, 48 * HOUR] });
    await queue('o_twice', OUTBOX_PRIORITY.greeting, { count: 2 });
    const [a, b] = await listOutboxFor(database.db, { openid: 'o_twice' });
    const outcomes = [
      { id: a!.id, outcome: 'sent' as const, at: new Date(clock) },
      { id: b!.id, outcome: 'sent' as const, at: new Date(clock) },
    ];
    await recordOutboxOutcomes(database, { outcomes, now: new Date(clock) });
    await recordOutboxOutcomes(database, { outcomes, now: new Date(clock) });
    await recordOutboxOutcomes(database, {
      outcomes: [{ id: a!.id, outcome: 'retry', at: new Date(clock + MINUTE), errcode: -1, error: 'late' }],
      now: new Date(clock),
    });
    expect(await statuses('o_twice')).toEqual(['sent', 'sent']);
    expect((await follower('o_twice'))?.messageSendsLeft).toBe(3);
  });

  it('stores an errcode or text the database would refuse as something it accepts', async () => {
    await queue('o_weird', OUTBOX_PRIORITY.greeting);
    const [row] = await listOutboxFor(database.db, { openid: 'o_weird' });
    await recordOutboxOutcomes(database, {
      outcomes: [{ id: row!.id, outcome: 'failed', errcode: 2 ** 40, error: 'bad\u0000byte' }],
      now: new Date(clock),
    });
    const [stored] = await listOutboxFor(database.db, { openid: 'o_weird' });
    expect(stored).toMatchObject({ status: 'failed', lastErrcode: null, lastError: 'badbyte' });
  });

  it('hands back a follower’s rows it could not start before half the lease, unsent and not counted', async () => {
    await seedFollower('o_slow', { message: [5, 48 * HOUR] });
    await queue('o_slow', OUTBOX_PRIORITY.greeting, { count: 2 });
    const slow = {
      async sendCustomMessage(msg: CustomMessage) {
        sent.push(msg.touser);
        clock += 6_000;
      },
    } as unknown as KfApi;
    const releasedAt = clock + 6_000;

    expect(await dispatcher({ kf: slow, leaseMs: 10_000 }).runOnce()).toBe(2);
    const [first, second] = await listOutboxFor(database.db, { openid: 'o_slow' });
    expect(first).toMatchObject({ status: 'sent', attempts: 1 });
    expect(second).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(second!.nextAttemptAt.getTime()).toBe(releasedAt);
    expect(sent).toEqual(['o_slow']);

    expect(await dispatcher({ kf: slow, leaseMs: 10_000 }).runOnce()).toBe(1);
    expect(await statuses('o_slow')).toEqual(['sent', 'sent']);
    expect((await follower('o_slow'))?.messageSendsLeft).toBe(3);
  });

  it('sends to a few followers at a time, and hands back the followers it reached only after half the lease', async () => {
    const openids = ['o_c1', 'o_c2', 'o_c3', 'o_c4'];
    for (const openid of openids) {
      await seedFollower(openid, { message: [5, 48 * HOUR] });
      await queue(openid, OUTBOX_PRIORITY.greeting);
    }
    let inFlight = 0;
    let mostInFlight = 0;
    const slow = {
      async sendCustomMessage(msg: CustomMessage) {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        sent.push(msg.touser);
        clock += 3_000;
      },
    } as unknown as KfApi;

    expect(await dispatcher({ kf: slow, leaseMs: 20_000, concurrentSends: 2 }).runOnce()).toBe(4);
    expect(mostInFlight).toBe(2);
    // Each send takes 3 s: the third and fourth start at 3 s and 6 s, inside half the lease (10 s).
    expect(sent).toHaveLength(4);

    for (const openid of openids) await queue(openid, OUTBOX_PRIORITY.greeting);
    sent = [];
    expect(await dispatcher({ kf: slow, leaseMs: 10_000, concurrentSends: 1 }).runOnce()).toBe(4);
    // One at a time: sends start at 0 s and 3 s; by 6 s half the lease has passed, so the last two
    // followers' rows go back unsent.
    expect(sent).toHaveLength(2);
    const second = await Promise.all(openids.map(async (openid) => (await listOutboxFor(database.db, { openid }))[1]!.status));
    expect(second.sort()).toEqual(['pending', 'pending', 'sent', 'sent']);
  });

  it('still records every outcome when writing the batch back fails once', async () => {
    await seedFollower('o_ok', { message: [5, 48 * HOUR] });
    await seedFollower('o_blocked', { message: [5, 48 * HOUR] });
    await queue('o_ok', OUTBOX_PRIORITY.greeting, { count: 2 });
    await queue('o_blocked', OUTBOX_PRIORITY.greeting);
    failures.set('o_blocked', new WechatApiError(48002, 'api blocked'));

    await dispatcher({ database: failingFirstWriteBack(database) }).runOnce();
    expect(await statuses('o_ok')).toEqual(['sent', 'sent']);
    expect(await statuses('o_blocked')).toEqual(['failed']);
    expect((await follower('o_ok'))?.messageSendsLeft).toBe(3);
  });
});

/** The database, except that the first statement after the claim fails as a dropped connection would. */
function failingFirstWriteBack(handle: DatabaseHandle): DatabaseHandle {
  let armed = true;
  const trips = (text: string) => {
    if (!armed || text.includes('skip locked')) return false;
    armed = false;
    return true;
  };
  const dropped = () => Promise.reject(new Error('connection reset (simulated)'));
  type Run = (...args: unknown[]) => unknown;
  const replacing = <T extends object>(target: T, key: string, fn: Run): T =>
    new Proxy(target, { get: (t, k, receiver) => (k === key ? fn : Reflect.get(t, k, receiver)) });
  if (handle.postgres) {
    const sql = handle.postgres;
    const unsafe = (text: string, ...rest: unknown[]) => (trips(text) ? dropped() : (sql.unsafe as Run)(text, ...rest));
    return { ...handle, postgres: replacing(sql, 'unsafe', unsafe as Run) };
  }
  // On PGlite the raw statements go through its prepared statements (db/engines/pglite-prepared.ts),
  // the handle's own: its query is replaced for this test's database.
  const statements = handle.pgliteStatements!;
  const query = statements.query.bind(statements);
  statements.query = <T>(text: string, params: unknown[]) => (trips(text) ? dropped() : query<T>(text, params));
  return handle;
}
