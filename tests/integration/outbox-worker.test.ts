import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '@/db/engines/postgres';
import { migrateDatabase } from '@/db/migrate';
import { enqueueOutbox, listOutboxFor } from '@/db/queries/outbox';
import type { Env } from '@/lib/env';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { outboxThreadFor } from '@/lib/kf/runtime';
import { startOutboxWorker } from '@/lib/outbox/worker-host';
import { startWechatSim, type WechatSim } from '@/lib/wechat-sim';
import { createScratchPostgres, testDatabases } from './databases';

// The outbox on a thread of its own, from the bundle the production build makes.
describe.each(testDatabases)('outbox worker on $kind', (testDb) => {
  // Inside the project, as the real bundle is: its packages resolve from node_modules.
  const cache = path.join(process.cwd(), 'node_modules', '.cache', 'wekf-tests');
  fs.mkdirSync(cache, { recursive: true });
  const workerFile = path.join(fs.mkdtempSync(path.join(cache, 'outbox-worker-')), 'outbox-worker.mjs');
  let sim: WechatSim;
  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/bundle-server.mjs', path.dirname(workerFile)], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    sim = await startWechatSim({});
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(path.dirname(workerFile), { recursive: true, force: true });
  });
  const account = () => ({ account: { appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, apiBase: sim.url } });

  it('is used on Postgres only, delivers what is queued, and starts again by itself after a failed start', async () => {
    const { handle, url, drop } = await testDb.open();
    try {
      const thread = outboxThreadFor({ DATABASE_URL: url } as Env, handle, workerFile);
      if (testDb.kind === 'pglite') {
        expect(thread).toBeUndefined(); // one connection, inside the server's thread
        return;
      }
      expect(thread).toEqual({ workerFile, databaseUrl: url });
      expect(outboxThreadFor({ DATABASE_URL: url } as Env, handle, `${workerFile}.missing`)).toBeUndefined();

      await sim.follower('o_thread').sendText('hi'); // opens WeChat's window for messaging them
      await enqueueOutbox(handle.db, [{ kind: 'greeting', openid: 'o_thread', priority: OUTBOX_PRIORITY.greeting, payload: textPayload('hello from the worker') }]);
      const worker = startOutboxWorker(workerFile, { databaseUrl: url!, ...account() });
      try {
        worker.wake();
        await expect.poll(async () => (await listOutboxFor(handle.db, { openid: 'o_thread' }))[0]?.status, { timeout: 10_000 }).toBe('sent');
        expect(sim.follower('o_thread').inbox().at(-1)?.text).toBe('hello from the worker');
      } finally {
        await worker.stop();
      }
    } finally {
      await drop();
    }
    // A worker that could not reach its database (here: not created yet) starts again by itself.
    await restartScenario();
  });

  // Postgres only: PGlite never runs the worker (the test above).
  async function restartScenario() {
    const base = process.env.TEST_DATABASE_URL!;
    const scratch = await createScratchPostgres(base);
    // The worker is pointed at the database before it exists: it fails, and retries.
    const missing = new URL(scratch.url);
    missing.pathname = `${missing.pathname}_later`;
    await scratch.dropDatabase();
    const worker = startOutboxWorker(workerFile, { databaseUrl: missing.toString(), ...account() }, { restartDelayMs: 200 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      const admin = await openPostgres(base, { max: 1 });
      await admin.postgres!.unsafe(`create database ${missing.pathname.slice(1)}`);
      await admin.close();
      const handle = await openPostgres(missing.toString(), { max: 2 });
      try {
        await migrateDatabase(handle);
        await sim.follower('o_later').sendText('hi');
        await enqueueOutbox(handle.db, [{ kind: 'greeting', openid: 'o_later', priority: OUTBOX_PRIORITY.greeting, payload: textPayload('made it') }]);
        await expect.poll(async () => (await listOutboxFor(handle.db, { openid: 'o_later' }))[0]?.status, { timeout: 15_000 }).toBe('sent');
      } finally {
        await worker.stop();
        await handle.close();
        const cleanup = await openPostgres(base, { max: 1 });
        await cleanup.postgres!.unsafe(`drop database if exists ${missing.pathname.slice(1)} with (force)`);
        await cleanup.close();
      }
    } catch (error) {
      await worker.stop();
      throw error;
    }
  }
});
