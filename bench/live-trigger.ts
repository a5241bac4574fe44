// What the live NOTIFY trigger (migration 0006) costs the webhook's writes, measured alone so a busy
// machine's drift cancels out: blocks of transactions shaped like the keyword batch's (an expiry UPDATE
// that mostly changes nothing, then an INSERT of n new waiting sessions), alternating trigger on and
// off, on a scratch Postgres database.
//   tsx --import ./scripts/server-only-register.mjs bench/live-trigger.ts [--batch 10] [--blocks 20] [--per-block 100]
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openPostgres } from '../db/engines/postgres';
import { migrateDatabase } from '../db/migrate';

const { values: args } = parseArgs({
  options: {
    batch: { type: 'string', default: '10' },
    blocks: { type: 'string', default: '20' },
    'per-block': { type: 'string', default: '100' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const batch = Number(args.batch);
const blocks = Number(args.blocks);
const perBlock = Number(args['per-block']);

async function main() {
  const name = `wekf_trigger_bench_${Date.now()}`;
  const admin = postgres(args['database-url'], { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(args['database-url']);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), { max: 2 });
  const sql = handle.postgres!;
  let n = 0;
  const times = { on: [] as number[], off: [] as number[] };
  try {
    await migrateDatabase(handle);
    const setTrigger = (on: boolean) =>
      Promise.all(
        ['customer_sessions_live_insert', 'customer_sessions_live_update'].map((t) =>
          sql.unsafe(`alter table customer_sessions ${on ? 'enable' : 'disable'} trigger ${t}`),
        ),
      );
    for (let block = 0; block < blocks * 2; block++) {
      const on = block % 2 === 0;
      await setTrigger(on);
      const started = performance.now();
      for (let i = 0; i < perBlock; i++) {
        const openids = Array.from({ length: batch }, () => `t_${n++}`);
        await sql.begin(async (tx) => {
          await tx.unsafe(`update customer_sessions set status = 'expired' where status = 'waiting' and wait_expires_at <= now() - interval '1 day'`);
          await tx.unsafe(
            `insert into customer_sessions (openid, status, queued_at, wait_expires_at) select unnest($1::text[]), 'waiting', now(), now() + interval '30 minutes'`,
            [openids],
          );
        });
      }
      times[on ? 'on' : 'off'].push((performance.now() - started) / perBlock);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const on = median(times.on);
    const off = median(times.off);
    console.log(`live trigger cost on Postgres: ${blocks} blocks each way of ${perBlock} transactions (expiry UPDATE + INSERT of ${batch} sessions)`);
    console.log(`  per transaction (median of blocks): trigger on ${on.toFixed(3)} ms, off ${off.toFixed(3)} ms, difference ${(on - off).toFixed(3)} ms (${(((on - off) / off) * 100).toFixed(1)}%)`);
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
