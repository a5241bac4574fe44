// npm run bench — load the webhook of a real wekf process with signed text pushes, then check the
// database holds every message once with the promised side effects. See docs/benchmarks.md.
//   npm run bench -- --db postgres --mode normal --duration 20 --connections 32 --followers 5000
import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UPKEEP_PAUSE_BUDGET_MS } from '../lib/kf/sweeps';
import { startWechatSim } from '../lib/wechat-sim';
import { summarizeCpuProfile } from './cpuprofile';
import { explainHotQueries } from './explain';
import { majorGcs, retainedHeap } from './gc';
import { checkIntegrity, type Check } from './integrity';
import { startLoad, wrkAvailable, type Loader, type LoadResult } from './load';
import { planTotals, type Plan } from './plan';
import { renderReport, type RunReport } from './report';
import { referenceLoopMs } from './speed';
import { cpuSnapshot, cpuSplit, machineBusyPct, PgActivitySampler, RssSampler, type CpuSnapshot } from './sample';
import { BenchSetupError, createBenchDatabase, migrateAndSeed, openRaw, type DbKind } from './seed';
import { benchSessionCookie, liveDelays, openLiveClients, type LiveClients } from './live-clients';
import { BENCH_AUTH_SECRET, freePort, startServer } from './server';
import { compareWithPeers, type VsPeerResult } from './vs-peer';
import { compareVersions, writeSwitch, type AbResult } from './ab';

const USAGE = `usage: npm run bench -- [options]
  --db <postgres|pglite>     database (default postgres)
  --database-url <url>       Postgres server to create the bench database on
                             (default $DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
  --mode <normal|retry-storm>  retry-storm sends every message 3 times at once (same body, same MsgId)
  --duration <s>             measured load (default 20; 600 with --soak)
  --warmup <s>               load before measuring, also checked for integrity (default 3)
  --connections <n>          concurrent connections (default 32)
  --threads <n>              wrk threads (default 1)
  --followers <n>            distinct senders (default 5000)
  --keyword-pct <n>          percent of messages that are the keyword 客服 (default 20)
  --agents <n>               active agents with an openid, each alerted per new session (default 1)
  --soak                     10 minutes, server RSS sampled every 10 s; checks it stays flat
  --loader <wrk|autocannon>  default wrk when installed, else autocannon
  --explain                  EXPLAIN ANALYZE the webhook's statements after the run
  --cpu-prof                 profile the server (node --cpu-prof) and print where its CPU went
  --wait-idle <s>            first wait up to this long for the machine to be idle (default 300; 0: don't)
  --live-clients <n>         open n live pages (SSE on /api/live) during the load and report the delay
                             from a session's write to its event at every page (default 0)
  --live-trigger <on|off>    off disables the live NOTIFY trigger (migration 0006), to measure its cost
  --vs-peer                  also start the peer (node-webot wechat on express, in memory) and the ceiling
                             (no storage) from ../shared/peer (or PEER_DIR), and load wekf, the peer and
                             the ceiling in turn, --rounds times for --round-seconds each, after a warm-up
                             (default 60 s for wekf, 10 s for each other); prints medians and ratios
  --ab                       two versions of wekf in one run: an experiment's working tree puts
                             \`if (abSwitch.on)\` (bench/ab-switch.ts) where they differ; after the warm-up,
                             --rounds rounds of each, --round-seconds each, in the order a b b a …;
                             prints each version's medians, with CPU per message (bench/ab.ts)
  --rounds <n>               rounds of --vs-peer or of each version with --ab (default 3)
  --round-seconds <s>        each system's load per round with --vs-peer or --ab (default 10)
  --keep                     keep the bench database / data folder
  --enforce-targets          exit non-zero when a performance target is missed`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    'database-url': { type: 'string' },
    mode: { type: 'string', default: 'normal' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    followers: { type: 'string', default: '5000' },
    'keyword-pct': { type: 'string', default: '20' },
    agents: { type: 'string', default: '1' },
    soak: { type: 'boolean', default: false },
    loader: { type: 'string' },
    explain: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    'live-clients': { type: 'string', default: '0' },
    'live-trigger': { type: 'string', default: 'on' },
    'enforce-targets': { type: 'boolean', default: false },
    'vs-peer': { type: 'boolean', default: false },
    ab: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'round-seconds': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});

function usage(message?: string): never {
  if (message) console.error(`bench: ${message}\n`);
  console.error(USAGE);
  process.exit(message ? 2 : 0);
}

function int(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be a whole number ≥ ${min}`);
  return n;
}

if (args.help) usage();
if (args.db !== 'postgres' && args.db !== 'pglite') usage('--db must be postgres or pglite');
if (args.mode !== 'normal' && args.mode !== 'retry-storm') usage('--mode must be normal or retry-storm');
const dbKind = args.db as DbKind;
const mode = args.mode as 'normal' | 'retry-storm';
const durationS = int('duration', args.duration ?? (args.soak ? '600' : '20'), 1);
const vsPeer = args['vs-peer'];
const warmupS = int('warmup', args.warmup ?? (vsPeer || args.ab ? '60' : '3'), 0);
const rounds = int('rounds', args.rounds, 1);
const roundS = int('round-seconds', args['round-seconds'], 2);
if (vsPeer && args.soak) usage('--vs-peer and --soak do not go together');
const ab = args.ab;
if (ab && (vsPeer || args.soak)) usage('--ab goes with neither --vs-peer nor --soak');
const connections = int('connections', args.connections, 1);
const threads = int('threads', args.threads, 1);
// The warm-up's streams start at 100.
if (ab && 2 * rounds * threads > 100) usage('--ab runs at most 100 streams of rounds: fewer --rounds or --threads');
const followers = int('followers', args.followers, 1);
const keywordPct = int('keyword-pct', args['keyword-pct'], 0);
const agentCount = int('agents', args.agents, 1);
const waitIdleS = int('wait-idle', args['wait-idle'], 0);
const liveClientCount = int('live-clients', args['live-clients'], 0);
if (args['live-trigger'] !== 'on' && args['live-trigger'] !== 'off') usage('--live-trigger must be on or off');
const baseUrl = args['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let loader: Loader;
if (args.loader === 'wrk' || args.loader === 'autocannon') loader = args.loader;
else if (args.loader !== undefined) usage('--loader must be wrk or autocannon');
else loader = wrkAvailable() ? 'wrk' : 'autocannon';
const notes: string[] = [];
if (loader === 'wrk' && !wrkAvailable()) usage('wrk is not installed (apt-get install -y wrk), or use --loader autocannon');
if (loader === 'autocannon' && args.loader === undefined) {
  notes.push(
    'NOTE: wrk is not installed (apt-get install -y wrk), so the load comes from autocannon, which runs in Node and takes more CPU from the server on a small machine: expect lower numbers than with wrk.',
  );
  console.log(notes[0]);
}

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
const label = `${stamp}-${dbKind}-${mode}${args.soak ? '-soak' : ''}`;
fs.mkdirSync(resultsDir, { recursive: true });
const serverLog = path.join(resultsDir, `${label}-server.log.tmp`);
/** % of one core: above this, something else is using the machine. */
const IDLE_PCT = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the fake WeChat has had no API call for `quietMs`; returns how long it waited beyond that. */
async function waitForQuietApi(sim: { calls(): { at: number }[] }, quietMs: number, maxMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const last = sim.calls().at(-1)?.at ?? 0;
    if (Date.now() - last >= quietMs) break;
    await sleep(250);
  }
  return Math.max(0, Date.now() - started - quietMs);
}

async function main(): Promise<number> {
  await buildConsole();

  // Numbers from a machine that is busy with something else say little: wait for it to calm down,
  // and say so in the report when it did not.
  const idleSince = Date.now();
  let busy = await machineBusyPct(2000);
  while (busy > IDLE_PCT && Date.now() - idleSince < waitIdleS * 1000) {
    console.log(`bench: the machine is ${busy.toFixed(0)}% busy (of one core); waiting for it to be idle…`);
    busy = await machineBusyPct(5000);
  }
  const speedMs = referenceLoopMs();
  /** Postgres's autovacuum setting, read after the warm-up; shown in the report when off. */
  let postgresAutovacuum: string | undefined;
  if (busy > IDLE_PCT) {
    notes.push(`WARNING: the machine was ${busy.toFixed(0)}% busy (of one core) before the run started: other work competed with the bench.`);
    console.log(notes[notes.length - 1]);
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-bench-'));
  const database = await createBenchDatabase(dbKind, { baseUrl, dataDir });
  // The bench's followers message the webhook directly, never through the fake, so the fake is told
  // to take every openid as a follower it may message: sends succeed, as most do in production.
  // The agents exist in the fake WeChat as on a real account, so the server's agent sync at start
  // (issue 15) finds the ones seeded below instead of marking them removed.
  const existingAgents = Array.from({ length: agentCount }, (_, i) => ({
    prefix: `bench${i + 1}`,
    nickname: `Bench agent ${i + 1}`,
    workerWx: `bench_worker_${i + 1}`,
    online: true,
  }));
  const sim = await startWechatSim({ webhookUrl: undefined, anyoneReachable: true, existingAgents });
  const delivered = new Map<string, number>();
  sim.onDelivery((d) => delivered.set(d.openid, (delivered.get(d.openid) ?? 0) + 1));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const agents = await migrateAndSeed(database, agentCount);
    if (args['live-trigger'] === 'off') {
      const raw = await openRaw(database);
      await raw.query('alter table customer_sessions disable trigger customer_sessions_live_insert');
      await raw.query('alter table customer_sessions disable trigger customer_sessions_live_update');
      await raw.close();
      notes.push('the live NOTIFY trigger was off (--live-trigger off)');
    }
    const c = sim.credentials;
    const cpuProfDir = args['cpu-prof'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-bench-prof-')) : undefined;
    // --ab: version a through the warm-up; bench/ab.ts flips it between rounds.
    const abSwitchFile = ab ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-bench-ab-')), 'version') : undefined;
    if (abSwitchFile) writeSwitch(abSwitchFile, 'a');
    console.log(`bench: ${label}: starting wekf on ${dbKind} (server log: ${path.relative(root, serverLog)})`);
    const serverStartedAt = Date.now();
    server = await startServer({
      root,
      port: await freePort(),
      dataDir,
      databaseUrl: database.url,
      wechat: { appId: c.appId, appSecret: c.appSecret, token: c.token, apiBase: sim.url },
      logFile: serverLog,
      // --trace-gc (soak): the heap V8 keeps after each major collection, to tell retention from GC saw-tooth.
      nodeFlags: [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), ...(args.soak ? ['--trace-gc'] : [])],
      abSwitchFile,
    });

    const plan: Plan = {
      runTag: String(randomInt(10_000, 100_000)),
      seed: randomInt(0, 1_000_000),
      followers,
      keywordPct,
      copies: mode === 'retry-storm' ? 3 : 1,
      keyword: '客服',
      other: '你好',
      toUser: c.originalId,
      token: c.token,
    };
    const load = (durationS: number, streamBase: number, onStart?: (pid: number) => void) => {
      const run = startLoad({ loader, url: server!.url, connections, durationS, threads, streamBase, plan });
      onStart?.(run.pid);
      return run.result;
    };
    let liveClients: LiveClients | undefined;
    if (liveClientCount > 0) {
      const raw = dbKind === 'postgres' ? await openRaw(database) : undefined;
      if (!raw) throw new BenchSetupError('--live-clients needs --db postgres (the bench mints the cookie from the users table)');
      const cookie = await benchSessionCookie(raw, BENCH_AUTH_SECRET);
      await raw.close();
      liveClients = await openLiveClients({ url: server.url, cookie, count: liveClientCount });
      console.log(`bench: ${liveClients.open()} live pages open`);
    }
    const requestsPerStream = new Map<number, number>();
    const record = (r: LoadResult) => r.streams.forEach((s) => requestsPerStream.set(s.stream, s.requests));

    if (warmupS > 0) {
      console.log(`bench: warm-up ${warmupS} s`);
      record(await load(warmupS, 100));
    }
    if (dbKind === 'postgres') {
      // The database was migrated seconds ago, so the planner still thinks every table is empty;
      // a live one has been analyzed by autovacuum within a minute of growing. Do that now rather
      // than measure plans no running wekf would use. (PGlite analyzes itself: lib/kf/sweeps.ts.)
      const raw = await openRaw(database);
      await raw.query('analyze');
      postgresAutovacuum = (await raw.query<{ autovacuum: string }>('show autovacuum'))[0]?.autovacuum;
      await raw.close();
    }

    console.log(`bench: ${mode} load with ${loader}: ${connections} connections, ${vsPeer || ab ? `${rounds} rounds of ${roundS} s per ${ab ? 'version' : 'system'}` : `${durationS} s`}, ${followers} followers`);
    const rss = new RssSampler(server.pid, args.soak ? 10_000 : 1000);
    const loadStartMs = Date.now() - serverStartedAt;
    const pgRaw = dbKind === 'postgres' ? await openRaw(database) : undefined;
    const pgWaits = pgRaw ? new PgActivitySampler(pgRaw) : undefined;
    // CPU is measured inside the run (1 s after the start to 1 s before the end), while the load
    // generator's process still exists.
    let cpuA: CpuSnapshot | undefined;
    let cpuB: CpuSnapshot | undefined;
    const cpuTimers: NodeJS.Timeout[] = [];
    let result: LoadResult;
    let comparison: VsPeerResult | undefined;
    let versions: AbResult | undefined;
    if (abSwitchFile) {
      versions = await compareVersions({
        switchFile: abSwitchFile,
        rounds,
        roundS,
        copies: plan.copies,
        server,
        benchDb: database.name,
        // Round i's streams start at i × threads: every message of the run stays distinct.
        load: async (seconds, index, onStart) => {
          const round = await load(seconds, index * threads, onStart);
          record(round);
          return round;
        },
      });
      result = versions.typical;
    } else if (vsPeer) {
      // Rounds against wekf, the peer and the ceiling in turn; wekf's rounds are checked as usual.
      const loadWekf = async (seconds: number, streamBase: number) => {
        const round = await load(seconds, streamBase);
        record(round);
        return round;
      };
      comparison = await compareWithPeers({ root, plan, loader, connections, threads, rounds, roundS, dbKind, loadWekf });
      result = comparison.wekfResult;
    } else {
      result = await load(durationS, 0, (pid) => {
        if (durationS < 4) return;
        cpuTimers.push(setTimeout(() => (cpuA = cpuSnapshot({ server: server!.pid, loader: pid, benchDb: database.name })), 1000));
        cpuTimers.push(setTimeout(() => (cpuB = cpuSnapshot({ server: server!.pid, loader: pid, benchDb: database.name })), (durationS - 1) * 1000));
      });
      record(result);
    }
    cpuTimers.forEach(clearTimeout);
    const rssStats = rss.stop();
    const waits = pgWaits?.stop();
    await pgRaw?.close();

    // Requests still in flight when the generator stopped finish on the server, and the outbox sends
    // what is left: wait until the fake WeChat has had no call for a second (at most a minute). Then
    // stop the server gracefully (PGlite allows one process per folder, and the check needs it).
    await sleep(3000);
    const drainMs = await waitForQuietApi(sim, 1000, 60_000);
    notes.push(`the outbox was done ${(drainMs / 1000).toFixed(1)} s after the load ended (+3 s for requests in flight)`);
    const liveOpenAtEnd = liveClients?.open();
    liveClients?.close();
    const serverCrashed = server.exited();
    const exitCode = await server.stop();

    const sent = planTotals(plan, requestsPerStream);
    const raw = await openRaw(database);
    let integrity: Awaited<ReturnType<typeof checkIntegrity>>;
    let explained: string | undefined;
    try {
      integrity = await checkIntegrity(raw, plan, sent, agents, delivered);
      // Pushes answered 503 at the webhook's deadline (their warn lines name the MsgId): how many
      // were stored and handled all the same, as queued work that finished after the answer.
      const refused = refusedMsgIds(serverLog);
      if (refused.length > 0) {
        const [row] = await raw.query<{ n: number; done: number }>(
          `select count(*)::int as n, count(*) filter (where state = 'done')::int as done from inbound_messages where split_part(dedupe_key, ':', 2) = any($1::text[])`,
          [refused],
        );
        notes.push(`${refused.length} pushes answered 503 by the webhook; ${row!.n} of them stored (${row!.done} handled), ${refused.length - row!.n} not`);
      }
      if (args.explain) explained = await explainHotQueries(raw);
      if (liveClients) {
        const d = await liveDelays(raw, liveClients);
        notes.push(
          `live: ${liveClientCount} pages open (${liveOpenAtEnd} still at the end); a session's write → its event at every page: p50 ${d.p50Ms.toFixed(0)} ms, p99 ${d.p99Ms.toFixed(0)} ms, max ${d.maxMs.toFixed(0)} ms (${d.matched} of ${d.sessions} sessions named at every page)`,
        );
      }
    } finally {
      await raw.close();
    }

    const errors = result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout;
    const checks: Check[] = [
      {
        name: 'the server stayed up',
        pass: !serverCrashed && exitCode === 0,
        detail: serverCrashed ? `exited during the run; see ${serverLog}` : `clean shutdown (exit ${exitCode})`,
      },
      { name: 'every request answered 2xx', pass: result.non2xx === 0 && errors === 0, detail: `${result.non2xx} status ≥ 400, ${errors} socket errors` },
      ...integrity.checks,
    ];

    const seconds = result.durationUs / 1e6;
    const msgsPerS = result.completed / seconds / plan.copies;
    const loadEndMs = loadStartMs + result.durationUs / 1000;
    const soak = args.soak ? soakTrend(rss.samples, retainedHeap(majorGcs(serverLog), loadStartMs + 60_000, loadEndMs)) : undefined;
    const targets: RunReport['targets'] = [];
    if (dbKind === 'postgres') {
      // The throughput target is for the standard load. A retry storm sends each message three
      // times, so it is judged on doing nothing twice (the integrity checks) and on its latency.
      if (plan.copies === 1) targets.push({ name: '≥ 4,000 msgs/s on Postgres', met: msgsPerS >= 4000, detail: `${msgsPerS.toFixed(0)} msgs/s` });
      targets.push({ name: 'p99 ≤ 25 ms on Postgres', met: result.p99Us <= 25_000, detail: `p99 ${(result.p99Us / 1000).toFixed(2)} ms` });
    }
    const upkeep = dbKind === 'pglite' ? upkeepPauses(serverLog) : [];
    if (upkeep.length) {
      const longest = upkeep.reduce((a, b) => (b.longestMs > a.longestMs ? b : a));
      targets.push({
        name: `PGlite upkeep pause under ${UPKEEP_PAUSE_BUDGET_MS} ms`,
        met: longest.longestMs < UPKEEP_PAUSE_BUDGET_MS,
        detail: `${upkeep.length} round(s), longest statement ${longest.longestMs} ms (${longest.longest}); rounds ${upkeep.map((u) => `${u.longestMs}/${u.ms}`).join(' ')} ms (longest/total)`,
      });
    }
    targets.push({ name: 'server RSS under 512 MB', met: rssStats.peakMb < 512, detail: `peak ${rssStats.peakMb.toFixed(0)} MB` });
    if (soak) {
      const heapDetail = soak.heap ? `heap kept after major GC ${soak.heap.firstMb.toFixed(0)} → ${soak.heap.lastMb.toFixed(0)} MB; ` : '';
      targets.push({ name: 'memory flat over the soak', met: soak.flat, detail: `${heapDetail}RSS lows ${soak.firstFloorMb.toFixed(0)} → ${soak.lastFloorMb.toFixed(0)} MB` });
    }

    const cpu = cpuA && cpuB ? cpuSplit(cpuA, cpuB) : undefined;
    if (cpu && cpu.other > IDLE_PCT) {
      notes.push(`WARNING: other processes used ${cpu.other.toFixed(0)}% CPU (of one core) during the run: the numbers are lower than this machine can do.`);
    }
    if (comparison) targets.push(...comparison.targets);
    const extra = [...(comparison?.lines ?? []), ...(versions?.lines ?? []), ...notes];
    if (explained) extra.push('EXPLAIN ANALYZE (database as the run left it):', explained);
    if (cpuProfDir) {
      // One profile per thread, named CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile: the main
      // thread is thread 0; a worker's profile names its bundle (the outbox's on Postgres, PGlite's
      // own thread on PGlite).
      const profiles = fs
        .readdirSync(cpuProfDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(cpuProfDir, f));
      const main = profiles.find((f) => path.basename(f).split('.')[4] === '0');
      const workers = profiles.filter((f) => f !== main);
      const threads: [string | undefined, string, string][] = [
        [main, 'main thread', 'server'],
        [workers.find((f) => fs.readFileSync(f, 'utf8').includes('outbox-worker.mjs')), 'outbox thread', 'outbox'],
        [workers.find((f) => fs.readFileSync(f, 'utf8').includes('pglite-worker.mjs')), 'PGlite thread', 'pglite'],
      ];
      if (!main) extra.push('(no CPU profile was written)');
      for (const [file, thread, suffix] of threads) {
        if (!file) continue;
        extra.push(summarizeCpuProfile(file, root, thread));
        fs.copyFileSync(file, path.join(resultsDir, `${label}-${suffix}.cpuprofile.tmp`));
      }
      fs.rmSync(cpuProfDir, { recursive: true, force: true });
    }
    if (abSwitchFile) fs.rmSync(path.dirname(abSwitchFile), { recursive: true, force: true });

    const report: RunReport = {
      title: `wekf webhook bench — ${dbKind}, ${mode}${args.soak ? ', soak' : ''} (${label})`,
      setup: [
        `wekf ${revision()}`,
        `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux ${os.release()}, Node ${process.version}`,
        `machine speed: reference loop ${speedMs} ms before the run (bench/speed.ts; lower is faster, compare runs only when close)`,
        // Off (as on this project's CI machine), a long run keeps every dead row: over a 10-minute
        // soak Postgres spent 362 µs a message against 189 with it on (docs/benchmarks.md, stop 19).
        ...(postgresAutovacuum === 'off' ? ['postgres: autovacuum off — dead rows stay for the whole run, which a soak feels'] : []),
        `${loader}${loader === 'wrk' ? ` (${threads} thread${threads > 1 ? 's' : ''})` : ''}, ${connections} connections, ${vsPeer ? `${rounds} rounds of ${roundS} s per system (wekf's median round below)` : ab ? `${rounds} rounds of ${roundS} s per version (version a's median round below)` : `${durationS} s`} after ${warmupS} s warm-up; ${followers} followers, ${keywordPct}% keyword, ${agentCount} agent(s)`,
      ],
      load: result,
      copies: plan.copies,
      messagesSent: sent.messages,
      rss: rssStats,
      rssSeries: args.soak ? rss.samples : undefined,
      soak,
      cpu,
      pgWaits: waits,
      checks,
      outbox: integrity.outbox,
      targets,
      extra,
    };
    const text = renderReport(report);
    console.log(`\n${text}\n`);
    const resultFile = path.join(resultsDir, `${label}.txt`);
    fs.writeFileSync(resultFile, `${text}\n`);
    console.log(`bench: report written to ${path.relative(root, resultFile)}`);

    const failed = checks.filter((c) => !c.pass).length;
    const missed = targets.filter((t) => !t.met).length;
    if (failed) {
      console.log(`bench: ${failed} check(s) FAILED; server log: ${path.relative(root, serverLog)}`);
      return 1;
    }
    if (missed && args['enforce-targets']) return 3;
    return 0;
  } finally {
    await server?.stop().catch(() => {});
    await sim.close().catch(() => {});
    if (args.keep) {
      console.log(`bench: kept ${database.kind === 'postgres' ? `database ${database.name}` : `data folder ${dataDir}`}`);
    } else {
      await database.drop().catch((e: unknown) => console.error(`bench: could not drop ${database.name}: ${String(e)}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/**
 * The console must be built (server.ts serves it). ensureBuild() exits its process on failure, and
 * fails when another `next build` is running in the same tree (tests do that), so it runs in a child
 * process and is retried.
 */
async function buildConsole(): Promise<void> {
  const script = "import('./scripts/build-if-needed.mjs').then((m) => m.ensureBuild())";
  for (let attempt = 1; ; attempt++) {
    const code = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' }).on('exit', resolve);
    });
    if (code === 0) return;
    if (attempt === 5) throw new Error('the console build failed five times; see above');
    console.log(`bench: the build failed (another build running?); trying again in 30 s`);
    await sleep(30_000);
  }
}

/** The commit measured, and whether the working tree had uncommitted changes (others edit it too). */
function revision(): string {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'server.ts', 'lib', 'db', 'app') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes' : ''} (${git('log', '-1', '--format=%s').slice(0, 70)})`;
  } catch {
    return 'revision unknown';
  }
}

/**
 * Soak: does the server's memory creep? RSS saws up and down with garbage collection, so compare
 * lows rather than single samples: the first third of the run after minute 1 (warm-up and JIT)
 * against the last third. The verdict uses the heap V8 kept after major collections when the log
 * has it (retained memory), else RSS lows. Flat: within 10% (at least 10 MB of heap, 25 MB of RSS).
 */
function soakTrend(samples: { atMs: number; mb: number }[], heap: ReturnType<typeof retainedHeap>): RunReport['soak'] {
  const end = samples[samples.length - 1]?.atMs ?? 0;
  const floor = (from: number, to: number) =>
    Math.min(...samples.filter((s) => s.atMs >= from && s.atMs <= to).map((s) => s.mb));
  const span = (end - 60_000) / 3;
  const firstFloorMb = floor(60_000, 60_000 + span);
  const lastFloorMb = floor(end - span, end);
  const growthMb = lastFloorMb - firstFloorMb;
  const flat = heap
    ? heap.lastMb - heap.firstMb <= Math.max(10, heap.firstMb * 0.1)
    : growthMb <= Math.max(25, firstFloorMb * 0.1);
  return { flat, growthMb, firstFloorMb, lastFloorMb, heap };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchSetupError) console.error(`bench: ${error.message}`);
    else console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (fs.existsSync(serverLog)) console.error(`bench: server log (last lines of ${path.relative(root, serverLog)}):\n${tail(serverLog)}`);
    process.exit(1);
  },
);

function tail(file: string): string {
  return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
}

/** The embedded database's upkeep rounds the server logged (lib/kf/sweeps.ts), in order. */
function upkeepPauses(logFile: string): { ms: number; longestMs: number; longest: string }[] {
  const rounds: { ms: number; longestMs: number; longest: string }[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"longestMs"')) continue;
    try {
      const { ms, longestMs, longest } = JSON.parse(line) as { ms: number; longestMs: number; longest: string };
      rounds.push({ ms, longestMs, longest });
    } catch {
      // not a log record
    }
  }
  return rounds;
}

/** MsgIds of the pushes the server's log says it answered 503 (lib/kf/webhook.ts's warn lines). */
function refusedMsgIds(logFile: string): string[] {
  const ids = new Set<string>();
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('push not handled')) continue;
    try {
      const msgId = (JSON.parse(line) as { msgId?: unknown }).msgId;
      if (typeof msgId === 'string') ids.add(msgId);
    } catch {
      // not a log record
    }
  }
  return [...ids];
}
