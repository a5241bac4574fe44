// The database really going away (Postgres only: connections refused, then allowed again).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireWaitingSessions, listSessionsByOpenid, queuePosition } from '@/db/queries/customer-sessions';
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
      const [fresh] = await listSessionsByOpenid(h.database.db, { openid: 'o_new' });
      expect(await queuePosition(h.database.db, { session: fresh!, now })).toEqual({ position: 1, count: 1 });
      expect(await expireWaitingSessions(h.database.db, { now })).toBe(2);
      const [old] = await listSessionsByOpenid(h.database.db, { openid: 'o_old1' });
      expect(old).toMatchObject({ status: 'expired', endReason: 'wait_expired' });
      expect(await expireWaitingSessions(h.database.db, { now })).toBe(0);
    } finally {
      await h.close();
    }
  });
});
