// npx tsx --import ./scripts/server-only-register.mjs bench/replay-cost.ts [postgres|pglite] — what the
// replay store adds to the webhook's batch statements. The same statements run with each push's
// signed query (the store records and checks it) and without (the store is skipped), alternating
// every few batches so that a busy machine slows both alike; prints the database CPU and wall time
// per message of each, and the difference. On PGlite the store is in memory, checked before the
// statements, as the webhook does there. The throughput bench (npm run bench) measures the whole
// server, but on a shared machine its spread between identical runs is wider than this cost.
import os from 'node:os';
import type { DatabaseHandle } from '../db/client';
import { openPglite } from '../db/engines/pglite';
import { openPostgres } from '../db/engines/postgres';
import { keywordStatements, type KeywordPush } from '../db/queries/keyword-messages';
import { recordPlainMessages } from '../db/queries/plain-message';
import { pipelinedTransaction } from '../db/queries/raw';
import { MemoryReplayStore } from '../db/queries/memory-replay-store';
import { memoryReplayStore, type PushQuery } from '../db/queries/replay-store';
import { migrateDatabase } from '../db/migrate';
import { postgresCpuMs } from './sample';
import { createBenchDatabase, migrateAndSeed } from './seed';

const kind = process.argv[2] === 'pglite' ? 'pglite' : 'postgres';
const ROUNDS = Number(process.env.REPLAY_COST_ROUNDS ?? 40);
const BATCHES_PER_ROUND = 100;

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let handle: DatabaseHandle;
let drop = async () => {};
let databaseCpuMs: () => number;
if (kind === 'postgres') {
  const database = await createBenchDatabase('postgres', { baseUrl, dataDir: os.tmpdir() });
  await migrateAndSeed(database, 1);
  handle = await openPostgres(database.url!);
  const name = new URL(database.url!).pathname.slice(1);
  databaseCpuMs = () => postgresCpuMs(name);
  drop = () => database.drop();
} else {
  // PGlite runs in this thread: its CPU is this process's.
  // On disk, as the server runs it: file-backed PGlite pays for what it writes, in memory it does not.
  handle = await openPglite(process.env.REPLAY_COST_DIR);
  await migrateDatabase(handle);
  databaseCpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
}

const reply = '<xml><ToUserName><![CDATA[o]]></ToUserName><Content><![CDATA[您好，如需人工客服请回复「客服」]]></Content></xml>';
const replies: KeywordPush['replies'] = { transfer: reply, toAgent: { before: reply, after: '</xml>' }, offHours: null, noAgents: reply };
const outbox = { queuePayload: { text: 'q' }, queuePriority: 5, alertPayload: { text: 'a' }, alertPriority: 1 };
let m = 0;
const queryOf = (i: number): PushQuery => ({
  timestamp: String(Math.floor(Date.now() / 1000)),
  nonce: String(1_000_000_000 + i),
  signature: (i * 2654435761).toString(16).padStart(40, '0'),
  bodyHash: Buffer.from(String(i)).toString('base64url').padEnd(43, 'x'),
});
// On PGlite the store is in memory (db/queries/replay-store.ts): the webhook checks it before the
// statement and gives the statement no query, so that is what "with" does there.
const inMemory = kind === 'pglite' ? await memoryReplayStore(handle) : undefined;
// The webhook reads every push's query (and hashes its body) whatever the store does, so both
// variants build it; only "with" hands it to the store.
const pushOf = (withQuery: boolean) => {
  const i = m++;
  const push = { dedupeKey: `b${i}`, openid: `o_bench_${i % 5000}`, msgType: 'text' };
  const query = queryOf(i);
  if (!withQuery) return push;
  if (!inMemory) return { ...push, query };
  if (!inMemory.admit(query)) throw new Error('a fresh query was refused');
  return push;
};

// Batch sizes as the server sees them under the bench's load: about 9 ordinary messages and 3 keywords.
const cases = {
  'ordinary messages, 9 per statement': {
    size: 9,
    run: (withQuery: boolean) =>
      recordPlainMessages(
        handle,
        Array.from({ length: 9 }, () => ({
          ...pushOf(withQuery),
          summary: '你好',
          replyWithoutSession: reply,
          replyWhileWaiting: reply,
          replyToAgent: { before: reply, after: '</xml>' },
        })),
        new Date(),
      ),
  },
  'keywords, 3 per transaction': {
    size: 3,
    run: (withQuery: boolean) => {
      const now = new Date();
      const pushes = Array.from({ length: 3 }, () => ({ ...pushOf(withQuery), summary: '客服', replies }));
      return pipelinedTransaction(handle, keywordStatements(pushes, { now, waitExpiresAt: new Date(now.getTime() + 3_600_000), outbox }));
    },
  },
};

/**
 * The in-memory store alone (PGlite): admitting a million fresh queries at 2,000 a second of their
 * timestamps, forgetting the stale ones every 30 s as the sweep does. Its cost per push is far below
 * what the alternating statement runs below can resolve (identical variants differ by a few %).
 */
function memoryStoreCost(): string {
  const store = new MemoryReplayStore();
  const queries = Array.from({ length: 1_000_000 }, (_, i) => queryOf(i));
  const t0 = performance.now();
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    q.timestamp = String(1_800_000_000 + Math.floor(i / 2000));
    store.admit(q);
    if (i % 60_000 === 0) store.forgetBefore(Number(q.timestamp) - 300);
  }
  const ns = ((performance.now() - t0) * 1e6) / queries.length;
  return `in-memory store alone: ${ns.toFixed(0)} ns per push (admit + sweep; ${store.size} queries held at the end)`;
}

try {
  console.log(`replay store cost on ${kind}; ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`);
  if (inMemory) console.log(memoryStoreCost());
  for (const [name, c] of Object.entries(cases)) {
    for (let i = 0; i < 200; i++) await c.run(i % 2 === 0); // warm up
    if (handle.postgres) await handle.postgres`analyze`;
    const total = { with: { cpuMs: 0, wallMs: 0 }, without: { cpuMs: 0, wallMs: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        const cpu0 = databaseCpuMs();
        const t0 = performance.now();
        for (let b = 0; b < BATCHES_PER_ROUND; b++) await c.run(variant === 'with');
        total[variant].wallMs += performance.now() - t0;
        total[variant].cpuMs += databaseCpuMs() - cpu0;
      }
    }
    const messages = ROUNDS * BATCHES_PER_ROUND * c.size;
    const us = (ms: number) => ((ms * 1000) / messages).toFixed(0).padStart(5);
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`.padStart(6);
    const w = total.with;
    const wo = total.without;
    console.log(
      `${name.padEnd(38)} database CPU ${us(wo.cpuMs)} → ${us(w.cpuMs)} µs/message (${pct(w.cpuMs, wo.cpuMs)})   wall ${us(wo.wallMs)} → ${us(w.wallMs)} µs/message (${pct(w.wallMs, wo.wallMs)})`,
    );
  }
} finally {
  await handle.close();
  await drop();
}
