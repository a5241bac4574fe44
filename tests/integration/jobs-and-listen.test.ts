// The two primitives background work and live pages stand on: jobs that run in one instance at a
// time and record their last run, and LISTEN/NOTIFY through one listening connection per handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { openPostgres } from '@/db/engines/postgres';
import { findJobRun } from '@/db/queries/job-runs';
import { rawExecutor } from '@/db/queries/raw';
import { CHANNEL, notify, subscribe } from '@/db/listen';
import { runJob, startPeriodicJob } from '@/lib/jobs/runner';
import { pgliteThreadDatabase, testDatabases } from './databases';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > ms) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe.each([...testDatabases, pgliteThreadDatabase])('background jobs and notifications on $label', (testDb) => {
  let handle: DatabaseHandle;
  let url: string | undefined;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, url, drop } = await testDb.open());
  });
  afterAll(() => drop());

  it('records a successful run with its summary, then a failure with its error text and count', async () => {
    const outcome = await runJob(handle, { name: 'test-ok', run: async () => ({ imported: 3 }), summarize: (v) => v });
    expect(outcome).toEqual({ ran: true, value: { imported: 3 } });
    const ok = await findJobRun(handle.db, { name: 'test-ok' });
    expect(ok).toMatchObject({ lastError: null, lastSummary: { imported: 3 }, failures: 0 });
    expect(ok?.lastOkAt).toBeInstanceOf(Date);

    await expect(runJob(handle, { name: 'test-ok', run: () => Promise.reject(new TypeError('WeChat said no')) })).rejects.toThrow('WeChat said no');
    const failed = await findJobRun(handle.db, { name: 'test-ok' });
    expect(failed).toMatchObject({ lastError: 'TypeError: WeChat said no', failures: 1, lastSummary: { imported: 3 } });
    expect(failed?.lastOkAt).toEqual(ok?.lastOkAt);
  });

  it('runs a job once at a time: a second caller is told it is busy, and may run it after', async () => {
    const gate = deferred();
    const first = runJob(handle, { name: 'test-busy', run: () => gate.promise.then(() => 'first') });
    await new Promise((r) => setTimeout(r, 50));
    expect(await runJob(handle, { name: 'test-busy', run: async () => 'second' })).toEqual({ ran: false, reason: 'busy' });
    gate.resolve();
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(await runJob(handle, { name: 'test-busy', run: async () => 'third' })).toEqual({ ran: true, value: 'third' });
  });

  it('on Postgres, a job running in one instance is busy for another instance', async () => {
    if (!url) return expect(testDb.kind).toBe('pglite');
    const other = await openPostgres(url, { max: 2 });
    try {
      const gate = deferred();
      const first = runJob(handle, { name: 'test-two-instances', run: () => gate.promise });
      await new Promise((r) => setTimeout(r, 100));
      expect(await runJob(other, { name: 'test-two-instances', run: async () => undefined })).toEqual({ ran: false, reason: 'busy' });
      gate.resolve();
      await first;
      expect((await runJob(other, { name: 'test-two-instances', run: async () => 'then' })).ran).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('retries a failing periodic job sooner, doubling the delay, and goes back to its period after a success', async () => {
    const at: number[] = [];
    let calls = 0;
    const job = startPeriodicJob(() => handle, {
      name: 'test-retry',
      everyMs: 10_000,
      firstMs: 0,
      retryFromMs: 40,
      run: async () => {
        at.push(Date.now());
        calls += 1;
        if (calls <= 3) throw new Error('unreachable');
      },
    });
    try {
      await waitFor(() => calls >= 4);
      const gaps = at.slice(1).map((t, i) => t - at[i]!);
      expect(gaps[0]).toBeGreaterThanOrEqual(35);
      expect(gaps[1]).toBeGreaterThanOrEqual(75);
      expect(gaps[2]).toBeGreaterThanOrEqual(155);
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toBe(4);
      await job.runNow();
      expect(calls).toBe(5);
    } finally {
      await job.stop();
    }
    expect((await findJobRun(handle.db, { name: 'test-retry' }))?.failures).toBe(0);
  });

  it('a periodic job whose first round finds another run under way runs right after it, then keeps its period', async () => {
    const gate = deferred();
    const elsewhere = runJob(handle, { name: 'test-start-busy', run: () => gate.promise });
    await new Promise((r) => setTimeout(r, 50));
    let calls = 0;
    const job = startPeriodicJob(() => handle, { name: 'test-start-busy', everyMs: 60_000, firstMs: 0, busyRetryUntilRunMs: 20, run: async () => void (calls += 1) });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(0);
      gate.resolve();
      await elsewhere;
      await waitFor(() => calls === 1, 2_000);
      // Having run once, a busy round waits its period again: nothing more within the next moments.
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(1);
    } finally {
      await job.stop();
    }
  });

  it('delivers a notification committed in a transaction to every subscriber, and none from a rolled-back one', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const stopA = await subscribe(handle, CHANNEL.live, (p) => a.push(p));
    const stopB = await subscribe(handle, CHANNEL.live, (p) => b.push(p));
    await handle.db
      .transaction(async (tx) => {
        await notify(tx, CHANNEL.live, 'rolled-back');
        throw new Error('roll back');
      })
      .catch(() => {});
    await handle.db.transaction((tx) => notify(tx, CHANNEL.live, '{"kind":"queued","ids":[1]}'));
    await waitFor(() => a.length > 0 && b.length > 0);
    expect(a).toEqual(['{"kind":"queued","ids":[1]}']);
    expect(b).toEqual(a);
    await stopA();
    await handle.db.transaction((tx) => notify(tx, CHANNEL.live, 'second'));
    await waitFor(() => b.length === 2);
    expect(a).toHaveLength(1);
    await stopB();
  });

  it('on Postgres, one listening connection serves every subscriber, and a change made through another instance arrives', async () => {
    if (!url) return expect(testDb.kind).toBe('pglite');
    const other = await openPostgres(url, { max: 2 });
    const got: string[] = [];
    const stops = await Promise.all(
      [CHANNEL.live, CHANNEL.live, CHANNEL.settings].map((channel) => subscribe(handle, channel, (p) => got.push(`${channel}:${p}`))),
    );
    try {
      const [row] = await rawExecutor(other).query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'`,
        [],
      );
      expect(row?.n).toBe(1);
      await other.db.transaction((tx) => notify(tx, CHANNEL.settings, '7'));
      await waitFor(() => got.length === 1);
      expect(got).toEqual(['wekf_settings:7']);
    } finally {
      for (const stop of stops) await stop();
      await other.close();
    }
  });
});
