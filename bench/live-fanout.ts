// npx tsx --import ./scripts/server-only-register.mjs bench/live-fanout.ts [pages] — what the live
// fan-out alone costs the server: N open live pages, and session NOTIFYs at the rate a busy webhook
// sends them (150 a second, as under the throughput bench's load), with no other load; prints the
// server process's CPU with the pages open and with none, interleaved. The throughput bench measures
// the same under load, where the machine's other work blurs it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWechatSim } from '../lib/wechat-sim';
import { benchSessionCookie, openLiveClients } from './live-clients';
import { createBenchDatabase, migrateAndSeed, openRaw } from './seed';
import { BENCH_AUTH_SECRET, freePort, startServer } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pages = Number(process.argv[2] ?? 200);
const NOTIFY_PER_S = 150;
const WINDOW_S = 10;
const ROUNDS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

function processCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-fanout-'));
const database = await createBenchDatabase('postgres', { baseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', dataDir });
const sim = await startWechatSim({ webhookUrl: undefined, anyoneReachable: true, existingAgents: [{ prefix: 'bench1', nickname: 'Bench agent 1', workerWx: 'bench_worker_1', online: true }] });
await migrateAndSeed(database, 1);
const c = sim.credentials;
const server = await startServer({
  root,
  port: await freePort(),
  dataDir,
  databaseUrl: database.url,
  wechat: { appId: c.appId, appSecret: c.appSecret, token: c.token, apiBase: sim.url },
  logFile: path.join(dataDir, 'server.log'),
});
const raw = await openRaw(database);
const cookie = await benchSessionCookie(raw, BENCH_AUTH_SECRET);

/** Server CPU (ms per second) while NOTIFYs flow for WINDOW_S. */
async function measure(): Promise<number> {
  let id = 1;
  let running = true;
  const notifier = (async () => {
    while (running) {
      const t = Date.now();
      for (let i = 0; i < NOTIFY_PER_S / 10; i++) await raw.query(`select pg_notify('wekf_live', $1)`, [JSON.stringify({ kind: 'sessions', ids: [id++, id++] })]);
      await sleep(Math.max(0, 100 - (Date.now() - t)));
    }
  })();
  await sleep(1000);
  const a = processCpuMs(server.pid);
  await sleep(WINDOW_S * 1000);
  const b = processCpuMs(server.pid);
  running = false;
  await notifier;
  return (b - a) / WINDOW_S;
}

console.log(`live fan-out: ${NOTIFY_PER_S} session NOTIFYs a second; server CPU in ms per second (= ‰ of one core)`);
for (let round = 1; round <= ROUNDS; round++) {
  const none = await measure();
  const rssBefore = rssMb(server.pid);
  const clients = await openLiveClients({ url: server.url, cookie, count: pages });
  await sleep(2000);
  const open = await measure();
  const rssOpen = rssMb(server.pid);
  const events = clients.arrivals[0]!.length;
  clients.close();
  await sleep(2000);
  console.log(
    `round ${round}: no pages ${none.toFixed(0)} ms/s   ${pages} pages ${open.toFixed(0)} ms/s   (+${(open - none).toFixed(0)}; ${events} events at the first page); RSS ${rssBefore.toFixed(0)} → ${rssOpen.toFixed(0)} MB`,
  );
}
await raw.close();
await server.stop();
await sim.close();
await database.drop();
fs.rmSync(dataDir, { recursive: true, force: true });
