// PGlite in a thread of its own (db/engines/pglite-thread.ts), as the production server runs it. The
// suites that cross the threads most (statements, transactions, LISTEN) also run on it; here, what
// is the thread's own: this thread runs on while a statement runs, Postgres's errors arrive whole, the
// folder is kept and locked as in-thread, and a thread that stops fails calls clearly, never hangs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DatabaseError, type DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/engines/pglite';
import { migrateDatabase } from '@/db/migrate';
import { followers } from '@/db/schema';
import { listInboundFor } from '@/db/queries/inbound-messages';
import { pgliteThreadDatabase } from './databases';
import { startKfHarness, textFields } from './kf-harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openThread(): Promise<DatabaseHandle> {
  const { handle, drop } = await pgliteThreadDatabase.open();
  cleanups.push(drop);
  return handle;
}

const migratedDump = () => new Blob([fs.readFileSync(inject('pgliteTemplateFile'))]);

function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-pglite-thread-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Event-loop turns this thread takes while `work` runs. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns += 1;
    setImmediate(spin);
  };
  spin();
  await work.finally(() => (done = true));
  return turns;
}

describe('PGlite in its own thread', () => {
  it('is PGlite run apart: this thread takes its turns while a statement runs, and the hot path waits there ready', async () => {
    const handle = await openThread();
    expect(handle.runsApart).toBe(true);
    expect(handle.description).toContain('own thread');
    // 200 ms inside Postgres: in-thread, not one turn of the event loop would run meanwhile.
    expect(await turnsDuring(handle.pglite!.query('select pg_sleep(0.2)'))).toBeGreaterThan(50);
    // Two hot-path statements sent together run one after the other, each whole, in the order sent.
    const first = handle.pgliteStatements!.query<{ at: string }>(`select clock_timestamp()::text as at, pg_sleep(0.05)`, []);
    const second = handle.pgliteStatements!.query<{ at: string }>(`select clock_timestamp()::text as at`, []);
    const [[a], [b]] = await Promise.all([first, second]);
    expect(Date.parse(b!.at) - Date.parse(a!.at)).toBeGreaterThanOrEqual(50);
  });

  it('answers a push 503 at its deadline while a statement holds PGlite longer, where in-thread nothing could answer', async () => {
    // The deadline shortened, as in webhook-slow-database.test.ts: the case waits a second, not four.
    const deadlineMs = 1200;
    const h = await startKfHarness(pgliteThreadDatabase, { databaseDeadlineMs: deadlineMs });
    cleanups.push(() => h.close());
    // Inside Postgres itself (in-thread, this would stop every timer and socket of the process).
    const holding = h.database.pglite!.query(`select pg_sleep(${(deadlineMs + 1000) / 1000})`);
    const started = performance.now();
    const res = await h.push(textFields('o_held', '你好'));
    const ms = performance.now() - started;
    expect(res.status).toBe(503);
    expect(ms).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(ms).toBeLessThan(deadlineMs + 1000);
    await holding;
    // Stored and handled once PGlite was free, as on Postgres (webhook-slow-database.test.ts).
    await expect.poll(async () => (await listInboundFor(h.database.db, { openid: 'o_held' })).map((m) => m.state)).toEqual(['done']);
  });

  it("gives Postgres's errors with their SQLSTATE and fields, and a failed transaction leaves nothing", async () => {
    const handle = await openThread();
    const statements = handle.pgliteStatements!;
    await statements.query(`create table t (id int primary key)`, []);
    const failed = statements.transaction([
      { text: `insert into t values ($1::int)`, params: [1] },
      { text: `insert into t values ($1::int), ($1::int)`, params: [2] },
    ]);
    await expect(failed).rejects.toMatchObject({ code: '23505', constraint: 't_pkey', message: expect.stringContaining('duplicate key') });
    expect(await statements.query(`select count(*)::int as n from t`, [])).toEqual([{ n: 0 }]);
    // Through drizzle (PGlite's own query(), one protocol step per call): the same error, as its cause.
    const error = await handle.db.execute(sql`select 1 / ${0}::int`).catch((e: unknown) => e);
    expect((error as Error).cause).toMatchObject({ code: '22012', message: 'division by zero' });
    // And the connection goes on.
    expect(await statements.query(`select 2 as n`, [])).toEqual([{ n: 2 }]);
  });

  it('keeps its folder across a stop and a start, and frees it for the next', async () => {
    const dir = scratchDir();
    const threadFile = inject('pgliteWorkerFile');
    const first = await openPglite(dir, { threadFile, from: migratedDump() });
    await migrateDatabase(first); // as the server does at every start: drizzle's migrator through the thread
    await first.db.insert(followers).values({ openid: 'o_kept', lastInteractionAt: new Date() });
    expect(fs.readFileSync(path.join(dir, 'wekf.lock'), 'utf8')).toBe(String(process.pid));
    await first.close();
    expect(fs.existsSync(path.join(dir, 'wekf.lock'))).toBe(false);
    // A thread ended by close() is not a lost database: the server stops only for a crash.
    const settled = await Promise.race([first.lost!.then(() => 'lost'), new Promise((resolve) => setTimeout(resolve, 50, 'still'))]);
    expect(settled).toBe('still');

    const again = await openPglite(dir, { threadFile });
    cleanups.push(() => again.close());
    expect((await again.db.select({ openid: followers.openid }).from(followers)).map((f) => f.openid)).toEqual(['o_kept']);
  });

  it('fails the call in flight and every later one when its thread stops, says why once, and closes without waiting', async () => {
    const dir = scratchDir();
    // The real worker, with a listener beside it that ends the thread on one statement: how a crash
    // of PGlite's thread (out of memory, say) looks from here.
    const crashing = path.join(path.dirname(inject('pgliteWorkerFile')), `crashing-${process.pid}.mjs`);
    fs.writeFileSync(
      crashing,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (call) => { if (call.op === 'query' && call.text === 'select 1 as crash') process.exit(7); });
await import(${JSON.stringify(inject('pgliteWorkerFile'))});`,
    );
    cleanups.push(() => fs.rmSync(crashing, { force: true }));
    const handle = await openPglite(dir, { threadFile: crashing, from: migratedDump() });

    const inFlight = handle.pgliteStatements!.query('select 1 as crash', []);
    await expect(inFlight).rejects.toThrow(new DatabaseError("the embedded database's thread stopped (exit code 7)"));
    await expect(handle.pgliteStatements!.query('select 1', [])).rejects.toThrow(/thread stopped/);
    await expect(handle.ping()).rejects.toThrow(/thread stopped/);
    // What the server logs before it stops (server.ts): the reason, once.
    await expect(handle.lost).resolves.toBe("the embedded database's thread stopped (exit code 7)");
    await handle.close();
    // The folder is free again, and what was written before the stop is there.
    const reopened = await openPglite(dir, { threadFile: inject('pgliteWorkerFile') });
    cleanups.push(() => reopened.close());
    expect(await reopened.pgliteStatements!.query(`select count(*)::int as n from followers`, [])).toEqual([{ n: 0 }]);
  });

  it('refuses a thread that cannot start, or a folder PGlite cannot open in it, with a clear error, and leaves the folder unlocked', async () => {
    const dir = scratchDir();
    const missing = path.join(dir, 'no-such-worker.mjs');
    await expect(openPglite(dir, { threadFile: missing })).rejects.toThrow(/cannot open the embedded database in .*: the embedded database's thread failed/);
    expect(fs.existsSync(path.join(dir, 'wekf.lock'))).toBe(false);

    // A folder of another Postgres: PGlite refuses it in its thread, which then ends.
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '9\n');
    const refused = await openPglite(dir, { threadFile: inject('pgliteWorkerFile') }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseError);
    expect((refused as Error).message).toMatch(new RegExp(`^cannot open the embedded database in ${dir}: .+`));
    expect((refused as Error).message).not.toMatch(/cannot open the embedded database in .*cannot open the embedded database/);
    expect(fs.existsSync(path.join(dir, 'wekf.lock'))).toBe(false);
  });
});
