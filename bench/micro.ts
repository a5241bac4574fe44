// npx tsx --import ./scripts/server-only-register.mjs bench/micro.ts — what one webhook push costs,
// piece by piece, on this machine: a Postgres round trip from Node, Drizzle's query building, the
// webhook handler itself without HTTP, and what a one-statement or batched design would cost, and
// what the webhook's own statements cost per transaction as their batches grow. Supports the
// analysis in docs/benchmarks.md.
import os from 'node:os';
import { eq } from 'drizzle-orm';
import { openPostgres } from '../db/engines/postgres';
import { keywordStatements, type KeywordPush } from '../db/queries/keyword-messages';
import { recordPlainMessages } from '../db/queries/plain-message';
import { pipelinedTransaction } from '../db/queries/raw';
import { agents } from '../db/schema';
import { createWebhookHandler } from '../lib/kf/webhook';
import { messageNonce, messageXml, plannedMessage, signedQuery, type Plan } from './plan';
import { postgresCpuMs } from './sample';
import { createBenchDatabase, migrateAndSeed } from './seed';
import { BENCH_KF_ENV } from './server';

// As in the bench's server: without this, a run outside the default service hours measures the
// off-hours reply instead of the keyword path.
Object.assign(process.env, BENCH_KF_ENV);

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createBenchDatabase('postgres', { baseUrl, dataDir: os.tmpdir() });
await migrateAndSeed(database, 1);
const handle = await openPostgres(database.url!);
const sql = handle.postgres!;
const benchDb = new URL(database.url!).pathname.slice(1);

/** Runs fn until n units are done with `concurrency` callers; prints units/s, Node's and Postgres's CPU per unit. */
async function measure(name: string, opts: { n: number; concurrency?: number; unitsPerCall?: number }, fn: () => Promise<unknown>) {
  const { n, concurrency = 1, unitsPerCall = 1 } = opts;
  for (let i = 0; i < 100; i++) await fn(); // warm up the JIT and the connections
  // A live database is analyzed by autovacuum as it grows; without it the planner keeps the empty
  // tables' statistics and, for a few thousand waiting sessions, picks plans no running wekf would use.
  await sql`analyze`;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const pg0 = postgresCpuMs(benchDb);
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < n) {
        done += unitsPerCall;
        await fn();
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const pgUs = (postgresCpuMs(benchDb) - pg0) * 1000;
  const perUnit = (us: number) => (us / done).toFixed(0).padStart(5);
  console.log(
    `${name.padEnd(58)} ${((done / wall) * 1000).toFixed(0).padStart(6)}/s   Node CPU ${perUnit(cpu.user + cpu.system)} µs (sys ${perUnit(cpu.system)})   Postgres CPU ${perUnit(pgUs)} µs`,
  );
}

try {
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}; per unit:`);
  await measure('postgres.js: select 1', { n: 5000 }, () => sql`select 1`);
  await measure('drizzle: build one select (no database)', { n: 5000 }, async () =>
    handle.db.select().from(agents).where(eq(agents.kfAccount, 'x')).toSQL(),
  );
  await measure('drizzle: one select', { n: 5000 }, () => handle.db.select().from(agents).where(eq(agents.kfAccount, 'x')));
  await measure('drizzle: transaction with one select', { n: 2000 }, () =>
    handle.db.transaction(async (tx) => {
      await tx.select().from(agents).where(eq(agents.kfAccount, 'x'));
    }),
  );

  // The webhook handler as the server runs it, minus HTTP: 5000 followers, 32 at once; ordinary
  // messages only, keywords only (after the first, a follower is already waiting), and the bench's mix.
  const token = 'benchtoken';
  // Its pushes carry one fixed timestamp, so the freshness window is opened wide here.
  const webhook = createWebhookHandler({ token, database: () => handle, maxSkewSeconds: 100 * 365 * 86_400 });
  for (const [stream, keywordPct] of [[1, 0], [2, 100], [3, 20]] as const) {
    const plan: Plan = {
      runTag: '10000',
      seed: 1,
      followers: 5000,
      keywordPct,
      copies: 1,
      keyword: '客服',
      other: '你好',
      toUser: 'gh_bench',
      token,
    };
    let i = 0;
    await measure(`webhook handler (no HTTP), ${keywordPct}% keyword, 32 concurrent`, { n: 5000, concurrency: 32 }, async () => {
      // Each push has a query of its own, as WeChat signs them: the replay store refuses a query reused with another body.
      const query = new URLSearchParams(signedQuery(token, '1700000000', messageNonce(plan, stream, i)));
      const body = Buffer.from(messageXml(plan, plannedMessage(plan, stream, i++), 1700000000));
      const res = await webhook({ method: 'POST', query, body });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    });
  }

  // Designs the webhook could move to: one statement per push, or many pushes per statement.
  let k = 0;
  const row = () => ({ dedupe_key: `m${k++}`, openid: 'o_1', msg_type: 'text', summary: 'x', state: 'done', reply: 'success' });
  await measure('one prepared insert per message (autocommit), 32 concurrent', { n: 10000, concurrency: 32 }, () => {
    const r = row();
    return sql`insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, reply)
               values (${r.dedupe_key}, ${r.openid}, ${r.msg_type}, ${r.summary}, ${r.state}, ${r.reply})
               on conflict (dedupe_key) do nothing returning id`;
  });
  await measure('32 messages per insert statement, 4 concurrent', { n: 40000, concurrency: 4, unitsPerCall: 32 }, () => {
    const rows = Array.from({ length: 32 }, row);
    return sql`insert into inbound_messages ${sql(rows)} on conflict (dedupe_key) do nothing returning id`;
  });

  // The webhook's two batched paths, one transaction per batch, at the batch sizes the server sees
  // (keywords come about 3 to a batch under the bench's load, ordinary messages about 9). What a
  // transaction costs whatever its size, against what each message adds, says how much larger
  // batches would save. Followers cycle through 5,000, so most keyword senders are already waiting.
  const reply = '<xml><ToUserName><![CDATA[o]]></ToUserName><Content><![CDATA[您好，如需人工客服请回复「客服」]]></Content></xml>';
  let m = 0;
  const pushOf = () => {
    const i = m++;
    return { dedupeKey: `b${i}`, openid: `o_bench_${i % 5000}`, msgType: 'text' };
  };
  for (const size of [1, 3, 9, 32]) {
    await measure(`ordinary messages, ${size} per transaction (per message)`, { n: Math.max(1000, size * 300), unitsPerCall: size }, () =>
      recordPlainMessages(
        handle,
        Array.from({ length: size }, () => ({
          ...pushOf(),
          summary: '你好',
          replyWithoutSession: reply,
          replyWhileWaiting: reply,
          replyToAgent: { before: reply, after: '</xml>' },
        })),
        new Date(),
      ),
    );
  }
  const replies: KeywordPush['replies'] = { transfer: reply, toAgent: { before: reply, after: '</xml>' }, offHours: null, noAgents: reply };
  const outbox = { queuePayload: { text: 'q' }, queuePriority: 5, alertPayload: { text: 'a' }, alertPriority: 1 };
  for (const size of [1, 3, 9, 32]) {
    await measure(`keywords, ${size} per transaction (per message)`, { n: Math.max(600, size * 150), unitsPerCall: size }, () => {
      const now = new Date();
      const pushes = Array.from({ length: size }, () => ({ ...pushOf(), summary: '客服', replies }));
      return pipelinedTransaction(handle, keywordStatements(pushes, { now, waitExpiresAt: new Date(now.getTime() + 3_600_000), outbox }));
    });
  }
} finally {
  await handle.close();
  await database.drop();
}
