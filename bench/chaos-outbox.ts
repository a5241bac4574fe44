// npx tsx --import ./scripts/server-only-register.mjs bench/chaos-outbox.ts [--db pglite|postgres] [--kill-after N] [--delay-ms N] [--write-every-ms N]
// What a crash of the outbox costs in duplicates: 1,000 queued messages, the dispatcher in a child
// process sending them to the fake WeChat over HTTP (each custom/send held --delay-ms by the fake),
// `kill -9` of the child once --kill-after messages have arrived, a restarted child that drains the
// rest, then how often the fake received each message. With --kill-after 0 nothing is killed and it
// prints how fast one dispatcher drains the queue. A row can only be sent twice if its send
// was on the wire, or back and not yet written down, when the process died.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatabaseHandle } from '../db/client';
import { openPglite } from '../db/engines/pglite';
import { openPostgres } from '../db/engines/postgres';
import { enqueueOutbox } from '../db/queries/outbox';
import { DEFAULT_CONCURRENT_SENDS, OutboxDispatcher } from '../lib/outbox/dispatcher';
import { OUTBOX_PRIORITY, textPayload } from '../lib/outbox/payloads';
import { kfApiFor } from '../lib/wechat-account/api-client';
import { startWechatSim } from '../lib/wechat-sim';
import { createBenchDatabase, migrateAndSeed, type BenchDatabase } from './seed';

const SEND_PATH = '/cgi-bin/message/custom/send';

interface ChildConfig {
  kind: 'postgres' | 'pglite';
  url?: string;
  dataDir: string;
  account: { appId: string; appSecret: string; apiBase: string };
  leaseMs: number;
  /** The dispatcher's writeEveryMs; undefined: its default. */
  writeEveryMs?: number;
  /** The restarted child runs this far ahead, as if it had waited out the crashed one's lease. */
  clockAheadMs: number;
  drain: boolean;
}

const openDatabase = (c: { kind: string; url?: string; dataDir: string }): Promise<DatabaseHandle> =>
  c.kind === 'postgres' ? openPostgres(c.url!, { max: 3 }) : openPglite(path.join(c.dataDir, 'pglite'));

if (process.argv.includes('--child')) await child(JSON.parse(process.env.CHAOS_OUTBOX_CHILD!) as ChildConfig);
else await main();

/** The dispatcher as the outbox worker runs it: its own pool, the shared token store, real HTTP. */
async function child(config: ChildConfig): Promise<void> {
  const database = await openDatabase(config);
  const dispatcher = new OutboxDispatcher({
    database: () => database,
    kf: kfApiFor(config.account, () => database),
    leaseMs: config.leaseMs,
    writeEveryMs: config.writeEveryMs,
    now: () => new Date(Date.now() + config.clockAheadMs),
  });
  if (!config.drain) {
    dispatcher.start();
    // The dispatcher's timers are unref'd (a server's other work keeps it alive): wait to be killed.
    setInterval(() => {}, 60_000);
    return;
  }
  const startedAt = performance.now();
  await dispatcher.drain();
  process.stdout.write(`drained in ${Math.round(performance.now() - startedAt)} ms\n`);
  await database.close();
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      db: { type: 'string', default: 'pglite' },
      'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      messages: { type: 'string', default: '1000' },
      followers: { type: 'string', default: '1000' },
      'delay-ms': { type: 'string', default: '20' },
      'kill-after': { type: 'string', default: '300' },
      'lease-ms': { type: 'string', default: '30000' },
      'write-every-ms': { type: 'string' },
    },
  });
  const kind = args.db === 'postgres' ? 'postgres' : 'pglite';
  const messages = Number(args.messages);
  const followerCount = Number(args.followers);
  const delayMs = Number(args['delay-ms']);
  const killAfter = Number(args['kill-after']);
  const leaseMs = Number(args['lease-ms']);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-chaos-'));
  const database: BenchDatabase = await createBenchDatabase(kind, { baseUrl: args['database-url'], dataDir });
  const sim = await startWechatSim({ webhookUrl: undefined, anyoneReachable: true });
  const children: ChildProcess[] = [];
  try {
    await migrateAndSeed(database, 0);
    const seeding = await openDatabase({ kind, url: database.url, dataDir });
    const rows = Array.from({ length: messages }, (_, i) => ({
      kind: 'greeting',
      openid: `o_chaos_${i % followerCount}`,
      priority: OUTBOX_PRIORITY.greeting,
      payload: textPayload(`chaos #${i}`),
    }));
    await enqueueOutbox(seeding.db, rows);
    await seeding.close();

    // Every send is held by the fake, as WeChat's API takes its time; a request already received
    // is answered (and delivered) even when its sender has died, as a real one would be.
    sim.faults.inject({ path: SEND_PATH, delayMs, times: 1_000_000 });
    const received = new Map<string, number>();
    let total = 0;
    let onCount: (() => void) | undefined;
    sim.onDelivery((d) => {
      received.set(d.text, (received.get(d.text) ?? 0) + 1);
      total += 1;
      onCount?.();
    });

    const config: ChildConfig = {
      kind,
      url: database.url,
      dataDir,
      account: { appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, apiBase: sim.url },
      leaseMs,
      writeEveryMs: args['write-every-ms'] === undefined ? undefined : Number(args['write-every-ms']),
      clockAheadMs: 0,
      drain: false,
    };
    let atKill = 0;
    let afterKill = 0;
    // --kill-after 0: no crash, one dispatcher drains the queue (its throughput, for comparisons).
    if (killAfter > 0) {
      const first = runChild(config);
      children.push(first.process);
      await new Promise<void>((resolve, reject) => {
        onCount = () => {
          if (total < killAfter) return;
          onCount = undefined;
          resolve();
        };
        void first.exited.then((code) => reject(new Error(`the dispatcher exited (${code}) before the kill`)));
      });
      first.process.kill('SIGKILL');
      await first.exited;
      atKill = total;
      // Requests the fake had already taken are still answered: wait them out.
      await new Promise((resolve) => setTimeout(resolve, delayMs * 3 + 500));
      afterKill = total;
    }

    const commitsBefore = await commitCount(kind, database.url);
    const second = runChild({ ...config, clockAheadMs: killAfter > 0 ? leaseMs : 0, drain: true });
    children.push(second.process);
    const code = await second.exited;
    if (code !== 0) throw new Error(`the restarted dispatcher exited with ${code}`);
    const drainMs = Number(/drained in (\d+) ms/.exec(second.output())?.[1]);
    // Each claim and each write-back is a transaction: what the dispatcher costs the database.
    const commits = commitsBefore === undefined ? undefined : (await commitCount(kind, database.url))! - commitsBefore - 1;
    const drained = messages - afterKill;

    let once = 0;
    let twice = 0;
    let more = 0;
    let lost = 0;
    for (let i = 0; i < messages; i++) {
      const n = received.get(`chaos #${i}`) ?? 0;
      if (n === 0) lost += 1;
      else if (n === 1) once += 1;
      else if (n === 2) twice += 1;
      else more += 1;
    }
    const check = await openDatabase({ kind, url: database.url, dataDir });
    const statuses = check.postgres
      ? await check.postgres.unsafe<{ status: string; n: number }[]>(`select status, count(*)::int as n from outbox group by status order by status`)
      : (await check.pglite!.query<{ status: string; n: number }>(`select status, count(*)::int as n from outbox group by status order by status`)).rows;
    await check.close();

    console.log(`chaos-outbox on ${kind}: ${messages} messages to ${Math.min(followerCount, messages)} followers, custom/send held ${delayMs} ms, lease ${leaseMs} ms`);
    if (killAfter > 0) {
      console.log(`  kill -9 after ${atKill} deliveries; ${afterKill - atKill} more arrived from requests already on the wire`);
      console.log(`  restart (its clock ${leaseMs} ms ahead: the lease waited out) drained the rest in ${drainMs} ms`);
    } else {
      console.log(`  no kill: one dispatcher drained ${drained} rows in ${drainMs} ms, ${Math.round((drained / drainMs) * 1000)} rows/s`);
    }
    if (commits !== undefined) console.log(`  transactions the draining dispatcher committed: ${commits} (${((commits / drained) * 100).toFixed(1)} per 100 rows)`);
    console.log(`  sent once:  ${once}`);
    console.log(`  sent twice: ${twice}${more > 0 ? `   (more than twice: ${more})` : ''}`);
    console.log(`  lost:       ${lost}`);
    console.log(`  worker concurrency (concurrentSends): ${DEFAULT_CONCURRENT_SENDS}`);
    console.log(`  outbox rows: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`);
    console.log(`  duplicates ${twice + more <= DEFAULT_CONCURRENT_SENDS ? '≤' : '>'} concurrency: ${twice + more <= DEFAULT_CONCURRENT_SENDS ? 'PASS' : 'FAIL'}`);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sim.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Transactions committed in the bench database so far (Postgres); its connections have closed, so their counts are in. */
async function commitCount(kind: string, url: string | undefined): Promise<number | undefined> {
  if (kind !== 'postgres') return undefined;
  const handle = await openPostgres(url!, { max: 1 });
  const [row] = await handle.postgres!.unsafe<{ n: string }[]>(`select xact_commit::text as n from pg_stat_database where datname = current_database()`);
  await handle.close();
  return Number(row!.n);
}

function runChild(config: ChildConfig): { process: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const root = path.resolve(here, '..');
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './scripts/server-only-register.mjs', path.join(here, 'chaos-outbox.ts'), '--child'],
    { cwd: root, env: { ...process.env, CHAOS_OUTBOX_CHILD: JSON.stringify(config), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { process: proc, exited, output: () => output };
}
