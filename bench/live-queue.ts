// How fast the live page's read model is with a long history behind it: every open page refetches it
// after each live event, so it must not grow with the table. Seeds a scratch Postgres database with a
// million ended sessions (30 days), a queue and sessions in progress, then times readLiveQueue.
//   tsx --import ./scripts/server-only-register.mjs bench/live-queue.ts [--sessions 1000000] [--runs 200]
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openPostgres } from '../db/engines/postgres';
import { readLiveQueue } from '../db/queries/live-queue';
import { migrateDatabase } from '../db/migrate';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    waiting: { type: 'string', default: '300' },
    active: { type: 'string', default: '200' },
    runs: { type: 'string', default: '200' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const history = Number(args.sessions);
const waiting = Number(args.waiting);
const active = Number(args.active);
const runs = Number(args.runs);

async function main() {
  const name = `wekf_live_bench_${Date.now()}`;
  const admin = postgres(args['database-url'], { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(args['database-url']);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  try {
    await migrateDatabase(handle);
    const sql = handle.postgres!;
    const seedStarted = performance.now();
    await sql.unsafe(`insert into agents (kf_account, nickname, status, online)
      select 'agent' || g || '@bench', '客服' || g, 'active', g % 3 <> 0 from generate_series(1, 20) g`);
    // Ended sessions over the last 30 days: served and closed, or expired while waiting.
    await sql.unsafe(`insert into customer_sessions (openid, status, kf_account, queued_at, wait_expires_at, started_at, ended_at, end_reason, created_at, updated_at)
      select 'hist_' || g,
             (case when g % 5 = 0 then 'expired' else 'closed' end)::session_status,
             case when g % 5 = 0 then null else 'agent' || (g % 20 + 1) || '@bench' end,
             t, t + interval '30 minutes',
             case when g % 5 = 0 then null else t + interval '2 minutes' end,
             t + interval '20 minutes',
             case when g % 5 = 0 then 'wait_expired' else 'agent_closed' end,
             t, t
        from (select g, now() - (g::float / ${history}) * interval '30 days' as t from generate_series(1, ${history}) g) s`);
    await sql.unsafe(`insert into customer_sessions (openid, status, queued_at, wait_expires_at)
      select 'wait_' || g, 'waiting', now() - (g || ' seconds')::interval, now() + interval '25 minutes' from generate_series(1, ${waiting}) g`);
    await sql.unsafe(`insert into customer_sessions (openid, status, kf_account, queued_at, started_at)
      select 'act_' || g, 'active', 'agent' || (g % 20 + 1) || '@bench', now() - interval '10 minutes', now() - interval '5 minutes' from generate_series(1, ${active}) g`);
    await sql.unsafe(`insert into followers (openid, last_interaction_at)
      select openid, now() from customer_sessions where status in ('waiting', 'active')`);
    await sql.unsafe('analyze');
    const seedMs = performance.now() - seedStarted;

    const now = new Date();
    const startOfToday = new Date(now.getTime() - 8 * 3600_000);
    for (let i = 0; i < 20; i++) await readLiveQueue(handle.db, { now, startOfToday });
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof readLiveQueue>> | undefined;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      last = await readLiveQueue(handle.db, { now: new Date(), startOfToday });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    console.log(`live-queue read model on Postgres: ${history.toLocaleString('en')} ended sessions, ${waiting} waiting, ${active} active, 20 agents (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    console.log(`  readLiveQueue × ${runs}: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
    console.log(
      `  counters: waiting ${last!.counters.waiting}, active ${last!.counters.active}, served today ${last!.counters.servedToday}, expired today ${last!.counters.expiredToday}; listed ${last!.waiting.length} waiting, ${last!.active.length} active`,
    );
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
