// npx tsx bench/micro.ts — what one webhook push costs, piece by piece, on this machine: a Postgres
// round trip from Node, Drizzle's query building, the webhook handler itself without HTTP, and what
// a one-statement or batched design would cost. Supports the analysis in docs/benchmarks.md.
import os from 'node:os';
import { eq } from 'drizzle-orm';
import { openPostgres } from '../db/client';
import { agents } from '../db/schema';
import { createWebhookHandler } from '../lib/kf/webhook';
import { messageXml, plannedMessage, signedQuery, type Plan } from './plan';
import { createBenchDatabase, migrateAndSeed } from './seed';

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createBenchDatabase('postgres', { baseUrl, dataDir: os.tmpdir() });
await migrateAndSeed(database, 1);
const handle = await openPostgres(database.url!);
const sql = handle.postgres!;

/** Runs fn until n units are done with `concurrency` callers; prints units/s and Node CPU per unit. */
async function measure(name: string, opts: { n: number; concurrency?: number; unitsPerCall?: number }, fn: () => Promise<unknown>) {
  const { n, concurrency = 1, unitsPerCall = 1 } = opts;
  for (let i = 0; i < 100; i++) await fn(); // warm up the JIT and the connections
  const t0 = performance.now();
  const c0 = process.cpuUsage();
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
  const perUnit = (us: number) => (us / done).toFixed(0).padStart(5);
  console.log(
    `${name.padEnd(58)} ${((done / wall) * 1000).toFixed(0).padStart(6)}/s   Node CPU ${perUnit(cpu.user + cpu.system)} µs (sys ${perUnit(cpu.system)})`,
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
  const webhook = createWebhookHandler({ token, database: () => handle });
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
      signedQuery: signedQuery(token, '1700000000', '12345'),
    };
    const query = new URLSearchParams(plan.signedQuery);
    let i = 0;
    await measure(`webhook handler (no HTTP), ${keywordPct}% keyword, 32 concurrent`, { n: 5000, concurrency: 32 }, async () => {
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
} finally {
  await handle.close();
  await database.drop();
}
