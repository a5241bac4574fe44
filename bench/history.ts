// npm run bench:history — session history, metrics and export on a large seeded database.
// Seeds sessions over 90 days (generate_series, in SQL), 20 agents and transcript lines, then
// prints p50/p99 of the first page, a deep keyset page of a filtered list, each filter, the capped
// count, metrics for 30 and 90 days, and the CSV export's rows/s and memory. See docs/benchmarks.md.
//   npm run bench:history -- --db postgres --sessions 1000000 --lines 5000000
//   npm run bench:history -- --db pglite --sessions 100000 --lines 500000
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client';
import { openPglite } from '../db/engines/pglite';
import { openPostgres } from '../db/engines/postgres';
import { migrateDatabase } from '../db/migrate';
import { sessionMetrics } from '../db/queries/metrics';
import { runMetricsRollup } from '../lib/kf/metrics-rollup';
import { countSessionHistory, listSessionHistory, type SessionCursor, type SessionFilter } from '../db/queries/session-history';
import { users } from '../db/schema';
import { exportSessionsCsv } from '../lib/kf/session-export';
import { startWechatSim } from '../lib/wechat-sim';
import { benchSessionCookie } from './live-clients';
import { BENCH_AUTH_SECRET, freePort, startServer } from './server';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    sessions: { type: 'string' },
    lines: { type: 'string' },
    runs: { type: 'string', default: '50' },
    'export-rows': { type: 'string', default: '100000' },
    keep: { type: 'boolean', default: false },
  },
});

const kind = args.db === 'pglite' ? 'pglite' : 'postgres';
const SESSIONS = Number(args.sessions ?? (kind === 'postgres' ? 1_000_000 : 100_000));
const LINES = Number(args.lines ?? SESSIONS * 5);
const RUNS = Number(args.runs);
const TZ = 'Asia/Shanghai';
const AGENTS = 20;
const DAYS = 90;

async function open(): Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-bench-history-'));
    const handle = await openPglite(dir);
    return {
      handle,
      async drop() {
        await handle.close();
        if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `wekf_bench_history_${randomBytes(3).toString('hex')}`;
  const admin = postgres(args['database-url']!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(args['database-url']!);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      if (args.keep) return console.log(`kept database ${name}`);
      const again = postgres(args['database-url']!, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function seed(handle: DatabaseHandle): Promise<void> {
  const db = handle.db;
  await db.execute(sql`insert into agents (kf_account, nickname, status) select 'agent' || g || '@bench', 'Agent ' || g, 'active' from generate_series(0, ${AGENTS - 1}) g`);
  // Newest session "now", oldest 90 days ago, evenly spread; ~85 % closed, 8 % expired, 4 % dropped,
  // 3 % closed after a switch. Followers repeat (200k), none left open so the one-open index holds.
  const [, sessionsMs] = await timed(() =>
    db.execute(sql`
      insert into customer_sessions (openid, status, kf_account, closed_by_kf_account, queued_at, wait_expires_at, started_at, ended_at, end_reason)
      select openid, status::session_status,
        case when status = 'closed' then agent end,
        case when status = 'closed' then agent end,
        q, q + interval '30 minutes',
        case when status = 'closed' then q + wait end,
        case when status = 'closed' then q + wait + handle when status = 'expired' then q + interval '30 minutes' else q + wait end,
        case when status = 'closed' then 'agent_closed' when status = 'expired' then 'wait_expired' end
      from (
        select 'o_bench_' || (g % 200000) as openid,
          now() - (g::float8 / ${SESSIONS}) * interval '${sql.raw(String(DAYS))} days' as q,
          'agent' || (g % ${AGENTS}) || '@bench' as agent,
          make_interval(secs => (random() * 240)::int) as wait,
          make_interval(secs => 60 + (random() * 1200)::int) as handle,
          case when r < 0.88 then 'closed' when r < 0.96 then 'expired' else 'abandoned' end as status
        from (select g, random() as r from generate_series(1, ${SESSIONS}) g) s
      ) x`),
  );
  console.log(`seeded ${SESSIONS.toLocaleString()} sessions in ${(sessionsMs / 1000).toFixed(1)} s`);
  const [, linesMs] = await timed(() =>
    db.execute(sql`
      insert into session_messages (session_id, openid, kf_account, opercode, text, sent_at, occurrence)
      select s.id, s.openid, s.kf_account, case when k % 2 = 0 then 2003 else 2002 end,
        '第 ' || k || ' 句：我的订单 ' || s.id || ' 什么时候到？', s.started_at + k * interval '20 seconds', 0
      from customer_sessions s cross join generate_series(1, ${Math.max(1, Math.round(LINES / (SESSIONS * 0.88)))}) k
      where s.status = 'closed' and s.id <= ${SESSIONS}`),
  );
  console.log(`seeded transcript lines in ${(linesMs / 1000).toFixed(1)} s`);
  await db.execute(sql`analyze`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function measure(label: string, fn: () => Promise<unknown>, runs = RUNS): Promise<{ label: string; p50: number; p99: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn))[1]);
  times.sort((a, b) => a - b);
  const row = { label, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  console.log(`${label.padEnd(58)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p99 ${row.p99.toFixed(1).padStart(7)} ms`);
  return row;
}

function day(offsetDays: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(new Date(Date.now() - offsetDays * 86_400_000));
}

async function deepCursor(handle: DatabaseHandle, filter: SessionFilter, depth: number): Promise<SessionCursor> {
  // Walks the filtered list page by page, as a reader clicking "older" would, to find a deep cursor.
  let after: SessionCursor | undefined;
  for (let i = 0; i < depth; i++) {
    const page = await listSessionHistory(handle.db, { filter, timezone: TZ, now: new Date(), after, limit: 500 });
    if (!page.older) break;
    after = page.older;
  }
  return after!;
}

async function explain(handle: DatabaseHandle, label: string, query: ReturnType<typeof sql>): Promise<void> {
  const result = await handle.db.execute(sql`explain (analyze, costs off, timing off, summary off) ${query}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { 'QUERY PLAN': string }[];
  console.log(`\nEXPLAIN ${label}:\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
}

/** Reads a CSV stream to its end, pausing `slowMs` after each chunk: its bytes and lines. */
async function drain(stream: ReadableStream<Uint8Array>, slowMs: number): Promise<{ bytes: number; lines: number }> {
  const reader = stream.getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lines };
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
    if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
  }
}

async function exportRun(handle: DatabaseHandle, userId: number, filter: SessionFilter, slowMs: number): Promise<void> {
  global.gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const stream = exportSessionsCsv(handle.db, { filter, timezone: TZ, now: new Date(), userId });
  const started = performance.now();
  const { bytes, lines } = await drain(stream, slowMs);
  const ms = performance.now() - started;
  clearInterval(sampler);
  const rows = lines - 1;
  console.log(
    `export ${slowMs ? `(reader pausing ${slowMs} ms per chunk)` : '(fast reader)'}: ${rows.toLocaleString()} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s` +
      ` = ${Math.round(rows / (ms / 1000)).toLocaleString()} rows/s; RSS peak ${((peak - idle) / 1e6).toFixed(0)} MB above the ${(idle / 1e6).toFixed(0)} MB before`,
  );
}

function serverRssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/**
 * The same export through the production server's route (/sessions/export), as a browser downloads
 * it: rows/s and the server process's RSS above what it used before, sampled every 20 ms. A reader
 * that pauses shows whether the server waits for it or buffers the file.
 */
async function httpExportRuns(databaseUrl: string, filter: SessionFilter, slowFilter: SessionFilter): Promise<void> {
  global.gc?.();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-bench-history-server-'));
  const sim = await startWechatSim({ webhookUrl: undefined, anyoneReachable: true, existingAgents: [] });
  const c = sim.credentials;
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const server = await startServer({
    root,
    port: await freePort(),
    dataDir,
    databaseUrl,
    wechat: { appId: c.appId, appSecret: c.appSecret, token: c.token, apiBase: sim.url },
    logFile: path.join(dataDir, 'server.log'),
  });
  try {
    const raw = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    // The operator the bench inserted is the first user: it may export.
    const cookie = await benchSessionCookie({ query: (text: string) => raw.unsafe(text) as never, close: () => raw.end() }, BENCH_AUTH_SECRET);
    await raw.end();
    // A first small download loads the route's code and warms the server, so the figures below are
    // the export's own memory, not the server's first request.
    const warm = await fetch(`${server.url}/sessions/export?${new URLSearchParams({ from: slowFilter.to!, to: slowFilter.to! })}`, { headers: { cookie } });
    await warm.arrayBuffer();
    for (const [f, slowMs] of [
      [filter, 0],
      [slowFilter, 20],
    ] as const) {
      const query = new URLSearchParams({ from: f.from!, to: f.to! });
      const idle = serverRssMb(server.pid);
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, serverRssMb(server.pid))), 20);
      const started = performance.now();
      const response = await fetch(`${server.url}/sessions/export?${query}`, { headers: { cookie } });
      if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      const { bytes, lines } = await drain(response.body, slowMs);
      const ms = performance.now() - started;
      clearInterval(sampler);
      console.log(
        `export over HTTP ${slowMs ? `(reader pausing ${slowMs} ms per chunk)` : '(fast reader)'}: ${(lines - 1).toLocaleString()} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s` +
          ` = ${Math.round((lines - 1) / (ms / 1000)).toLocaleString()} rows/s; server RSS peak ${(peak - idle).toFixed(0)} MB above the ${idle.toFixed(0)} MB before`,
      );
    }
  } finally {
    await server.stop();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const { handle, url, drop } = await open();
  try {
    await migrateDatabase(handle);
    console.log(`bench:history on ${kind}: ${SESSIONS.toLocaleString()} sessions over ${DAYS} days, ${AGENTS} agents, ~${LINES.toLocaleString()} transcript lines`);
    await seed(handle);
    const [lineRow] = (await handle.db.execute(sql`select count(*)::int as n from session_messages`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { n: number }[];
    console.log(`transcript lines stored: ${Number(lineRow?.n).toLocaleString()}\n`);
    const now = () => new Date();
    const ctx = (filter: SessionFilter) => ({ filter, timezone: TZ, now: now() });
    const agentStatusRange: SessionFilter = { agent: 'agent7@bench', status: 'closed', from: day(80), to: day(10) };
    const deep = await deepCursor(handle, agentStatusRange, 20);

    console.log(`--- list pages (50 rows), ${RUNS} requests each ---`);
    await measure('first page, no filter', () => listSessionHistory(handle.db, ctx({})));
    await measure('first page, agent + status + 70-day range', () => listSessionHistory(handle.db, ctx(agentStatusRange)));
    await measure('deep page (row ~10,000) of agent + status + range', () => listSessionHistory(handle.db, { ...ctx(agentStatusRange), after: deep }));
    await measure('filter: date range (one day, 30 days ago)', () => listSessionHistory(handle.db, ctx({ from: day(30), to: day(30) })));
    await measure('filter: agent', () => listSessionHistory(handle.db, ctx({ agent: 'agent3@bench' })));
    await measure('filter: status expired', () => listSessionHistory(handle.db, ctx({ status: 'expired' })));
    await measure('filter: status dropped + 7 days', () => listSessionHistory(handle.db, ctx({ status: 'dropped', from: day(7), to: day(0) })));
    await measure('filter: follower openid', () => listSessionHistory(handle.db, ctx({ openid: 'o_bench_4242' })));
    await measure('filter: waited over 3 minutes', () => listSessionHistory(handle.db, ctx({ waitedOverMinutes: 3 })));
    await measure('filter: waited over 3 minutes + agent', () => listSessionHistory(handle.db, ctx({ waitedOverMinutes: 3, agent: 'agent5@bench' })));
    console.log(`\n--- capped total (up to 10,000), ${RUNS} requests each ---`);
    await measure('count, no filter (capped)', () => countSessionHistory(handle.db, ctx({})));
    await measure('count, agent + status + range (capped)', () => countSessionHistory(handle.db, ctx(agentStatusRange)));
    await measure('count, follower openid', () => countSessionHistory(handle.db, ctx({ openid: 'o_bench_4242' })));
    console.log(`\n--- metrics (target 60 s) ---`);
    const metrics = (days: number) => () => sessionMetrics(handle.db, { from: day(days - 1), to: day(0), timezone: TZ, targetSeconds: 60 });
    const [, liveMs] = await timed(metrics(90));
    console.log(`${'metrics, 90 days, nothing rolled up (all grouped live)'.padEnd(58)} once    ${liveMs.toFixed(1).padStart(7)} ms`);
    // The rollup job's first run on this history (lib/kf/metrics-rollup.ts), as a server would run it.
    const [rollup, rollupMs] = await timed(() => runMetricsRollup(handle));
    console.log(`${'rollup job, first run'.padEnd(58)} once    ${rollupMs.toFixed(1).padStart(7)} ms   (${JSON.stringify(rollup.ran ? rollup.value : rollup)})`);
    const [, againMs] = await timed(() => runMetricsRollup(handle));
    console.log(`${'rollup job, next run (nothing new)'.padEnd(58)} once    ${againMs.toFixed(1).padStart(7)} ms`);
    await measure('metrics, 30 days (rolled up, today live)', metrics(30), 10);
    await measure('metrics, 90 days (rolled up, today live)', metrics(90), 10);

    await explain(
      handle,
      'deep page of agent + status + range',
      sql`select id from customer_sessions where queued_at >= (${agentStatusRange.from}::date)::timestamp at time zone ${TZ}
        and queued_at < (${agentStatusRange.to}::date + 1)::timestamp at time zone ${TZ} and kf_account = 'agent7@bench' and status = 'closed'
        and (queued_at, id) < (${deep.queuedAt}::timestamptz, ${deep.id}::int) order by queued_at desc, id desc limit 51`,
    );
    await explain(handle, 'first page, no filter', sql`select id from customer_sessions order by queued_at desc, id desc limit 51`);

    console.log(`\n--- CSV export ---`);
    const [user] = await handle.db.insert(users).values({ email: 'bench@history', name: 'bench', role: 'operator', passwordHash: 'x' }).returning({ id: users.id });
    const exportDays = Math.max(1, Math.round((Number(args['export-rows']) / SESSIONS) * DAYS));
    const exportFilter: SessionFilter = { from: day(exportDays), to: day(1) };
    await exportRun(handle, user!.id, exportFilter, 0);
    await exportRun(handle, user!.id, { ...exportFilter, from: day(Math.ceil(exportDays / 10)) }, 20);
    if (url) await httpExportRuns(url, exportFilter, exportFilter);
  } finally {
    await drop();
  }
}

await main();
