// Resilience: the database going away (Postgres: connections refused, then allowed again), the
// expiry sweep, and two processes sharing one access_token.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireWaitingSessions, listSessionsByOpenid, listWaitingQueue } from '@/db/queries/customer-sessions';
import { loadSessionDetail } from '@/lib/kf/session-timeline';
import { expireWaits, WAIT_EXPIRED_NOTICE_WITHIN_MS } from '@/lib/kf/sweeps';
import { testDatabases } from './databases';
import { startKfHarness, textFields, type KfHarness } from './kf-harness';

const onPostgres = testDatabases.filter((d) => d.kind === 'postgres');

describe.each(onPostgres)('database outage on $kind', (testDb) => {
  let h: KfHarness;
  let admin: postgres.Sql;
  let name: string;
  beforeAll(async () => {
    h = await startKfHarness(testDb);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const rows = await h.database.postgres!`select current_database() as name`;
    name = rows[0]!.name as string;
    admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin.unsafe(`alter database ${name} allow_connections true`);
    await admin.end();
    await h.close();
  });

  it('answers 503 within a second while Postgres refuses connections, then recovers by itself', async () => {
    await admin.unsafe(`alter database ${name} allow_connections false`);
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    const started = Date.now();
    const down = await h.push(textFields('o_pg_outage', '你好'));
    expect(down.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1500);

    await admin.unsafe(`alter database ${name} allow_connections true`);
    const fields = textFields('o_pg_outage', '你好');
    const up = await h.push(fields);
    expect(up.status).toBe(200);
    expect(await up.text()).toContain('「客服」');
  });
});

describe.each(testDatabases)('expiry sweep on $kind', (testDb) => {
  it('expires every waiting session past its time, and positions count only the others', async () => {
    const h = await startKfHarness(testDb);
    try {
      await h.addAgent('ann');
      await h.sim.follower('o_old1').sendText('客服');
      await h.sim.follower('o_old2').sendText('客服');
      h.sim.clock.advance(20 * 60_000);
      await h.sim.follower('o_new').sendText('客服');
      h.sim.clock.advance(11 * 60_000); // the first two have waited 31 minutes, the last 11

      const now = new Date(h.sim.clock.now());
      expect((await listWaitingQueue(h.database.db, { now })).map((s) => s.openid)).toEqual(['o_new']);
      expect((await expireWaitingSessions(h.database.db, { now })).map((w) => w.openid).sort()).toEqual(['o_old1', 'o_old2']);
      const [old] = await listSessionsByOpenid(h.database.db, { openid: 'o_old1' });
      expect(old).toMatchObject({ status: 'expired', endReason: 'wait_expired' });
      expect(await expireWaitingSessions(h.database.db, { now })).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('tells each follower whose wait ran out, once, however many instances sweep', async () => {
    const h = await startKfHarness(testDb);
    try {
      await h.addAgent('bea');
      await h.sim.follower('o_gone1').sendText('客服');
      await h.sim.follower('o_gone2').sendText('客服');
      h.sim.clock.advance(20 * 60_000);
      await h.sim.follower('o_still').sendText('客服');
      h.sim.clock.advance(11 * 60_000);
      await h.drainOutbox();
      const before = (openid: string) => h.sim.follower(openid).inbox().length;
      const counts = { o_gone1: before('o_gone1'), o_gone2: before('o_gone2'), o_still: before('o_still') };

      const now = new Date(h.sim.clock.now());
      const sweeps = await Promise.all([expireWaits(h.database, now), expireWaits(h.database, now)]);
      expect(sweeps.map((s) => s.told).sort()).toEqual([0, 2]);
      await h.drainOutbox();

      const notice = '抱歉，客服暂时没能接入您的对话。如仍需人工客服，请再次回复「客服」（服务时间 每天 00:00-24:00）。';
      for (const openid of ['o_gone1', 'o_gone2'] as const) {
        expect(h.sim.follower(openid).inbox().slice(counts[openid]).map((m) => m.text)).toEqual([notice]);
      }
      expect(h.sim.follower('o_still').inbox()).toHaveLength(counts.o_still);
      // The session's page lists the notice among what was sent.
      const [gone] = await listSessionsByOpenid(h.database.db, { openid: 'o_gone1' });
      const detail = await loadSessionDetail(h.database.db, { id: gone!.id, now });
      expect(detail!.messages.map((m) => m.kind)).toContain('wait_expired');
    } finally {
      await h.close();
    }
  });

  it('ends a wait that ran out long ago (wekf was down) without a late notice', async () => {
    const h = await startKfHarness(testDb);
    try {
      await h.addAgent('cal');
      await h.sim.follower('o_overnight').sendText('客服');
      h.sim.clock.advance(30 * 60_000 + WAIT_EXPIRED_NOTICE_WITHIN_MS + 1000);
      await h.drainOutbox();
      const seen = h.sim.follower('o_overnight').inbox().length;
      expect(await expireWaits(h.database, new Date(h.sim.clock.now()))).toEqual({ expired: 1, told: 0 });
      await h.drainOutbox();
      expect(h.sim.follower('o_overnight').inbox()).toHaveLength(seen);
    } finally {
      await h.close();
    }
  });
});

const run = promisify(execFile);

describe.each(onPostgres)('token refresh across processes on $kind', (testDb) => {
  it('two instances starting together fetch one token and share it', async () => {
    const { url, drop } = await testDb.open();
    let fetches = 0;
    const server = http.createServer((_req, res) => {
      fetches += 1;
      // Slow enough that both processes are waiting on the lock at once.
      setTimeout(() => res.end(JSON.stringify({ accessToken: `token-${fetches}`, expiresIn: 7200 })), 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenServer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const child = path.resolve('tests/integration/fixtures/token-child.ts');
      const outputs = await Promise.all(
        [1, 2].map(() => run(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-register.mjs', child, url!, tokenServer], { cwd: process.cwd() })),
      );
      expect(outputs.map((o) => o.stdout)).toEqual(['token-1', 'token-1']);
      expect(fetches).toBe(1);
    } finally {
      server.close();
      await drop();
    }
  }, 60_000);
});
