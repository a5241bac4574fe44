// `npm run bench -- --ab`: two versions of wekf inside one run. The experiment's working tree puts
// `if (abSwitch.on)` (bench/ab-switch.ts) where the versions differ; the bench writes a or b to the
// switch's file between rounds, in the order a b b a a b b a …, so a drift of the machine or of the
// growing database falls on both alike, and prints each version's medians: msgs/s, p50, p99, and
// the CPU a message costs the server and Postgres, measured inside each round. Run without an
// experiment in the tree, it is an A/A run: the spread between a and b is this machine's noise.
import fs from 'node:fs';
import type { LoadResult } from './load';
import { CLOCK_TICKS, cpuSnapshot, type CpuSnapshot } from './sample';
import { median, msgsPerS as rateOf } from './vs-peer';

export type Version = 'a' | 'b';

export interface AbOptions {
  /** The switch's file, as the server got it in WEKF_AB_FILE. */
  switchFile: string;
  /** Rounds of each version. */
  rounds: number;
  roundS: number;
  copies: number;
  server: { pid: number };
  benchDb?: string;
  /** Round `index` (0 …) of load; onStart gets the load generator's pid. */
  load: (durationS: number, index: number, onStart: (pid: number) => void) => Promise<LoadResult>;
}

export interface AbRound {
  version: Version;
  msgsPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per message inside the round, µs; undefined when the round was too short to measure. */
  serverUs?: number;
  postgresUs?: number;
}

export interface AbResult {
  rounds: AbRound[];
  /** The round closest to version a's median, for the usual report. */
  typical: LoadResult;
  lines: string[];
}

/** The switch settles in 100 ms (bench/ab-switch.ts); batches of the other version finish meanwhile. */
const SETTLE_MS = 1000;

/** a b b a, repeated: each version as often first as second. */
export function abOrder(rounds: number): Version[] {
  return Array.from({ length: 2 * rounds }, (_, i) => (i % 4 === 0 || i % 4 === 3 ? 'a' : 'b'));
}

export function writeSwitch(file: string, version: Version): void {
  fs.writeFileSync(file, version);
}

export async function compareVersions(opts: AbOptions): Promise<AbResult> {
  const rounds: AbRound[] = [];
  const results: LoadResult[] = [];
  const order = abOrder(opts.rounds);
  for (const [i, version] of order.entries()) {
    writeSwitch(opts.switchFile, version);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    console.log(`bench: round ${i + 1} of ${order.length}: version ${version}, ${opts.roundS} s`);
    let first: CpuSnapshot | undefined;
    let last: CpuSnapshot | undefined;
    const timers: NodeJS.Timeout[] = [];
    const result = await opts.load(opts.roundS, i, (loaderPid) => {
      if (opts.roundS < 4) return;
      const snap = () => cpuSnapshot({ server: opts.server.pid, loader: loaderPid, benchDb: opts.benchDb });
      timers.push(setTimeout(() => (first = snap()), 1000));
      timers.push(setTimeout(() => (last = snap()), (opts.roundS - 1) * 1000));
    });
    timers.forEach(clearTimeout);
    results.push(result);
    const msgsPerS = rateOf(result, opts.copies);
    const round: AbRound = { version, msgsPerS, p50Ms: result.p50Us / 1000, p99Ms: result.p99Us / 1000 };
    if (first && last) Object.assign(round, cpuPerMessage(first, last, msgsPerS));
    rounds.push(round);
  }
  writeSwitch(opts.switchFile, 'a');
  const a = summary(rounds.filter((r) => r.version === 'a'));
  const typical = results
    .filter((_, i) => order[i] === 'a')
    .reduce((best, r) => (Math.abs(rateOf(r, opts.copies) - a.msgsPerS) < Math.abs(rateOf(best, opts.copies) - a.msgsPerS) ? r : best));
  return { rounds, typical, lines: render(rounds, opts) };
}

/** Ticks of the server and of the bench database's backends between the snapshots, per message. */
function cpuPerMessage(a: CpuSnapshot, b: CpuSnapshot, msgsPerS: number): Pick<AbRound, 'serverUs' | 'postgresUs'> {
  const seconds = (b.atMs - a.atMs) / 1000;
  const messages = msgsPerS * seconds;
  const ticksToUs = (ticks: number) => (ticks / CLOCK_TICKS) * 1e6;
  let pg = 0;
  for (const [pid, t] of b.postgres) pg += t - (a.postgres.get(pid) ?? 0);
  return { serverUs: ticksToUs(b.server - a.server) / messages, postgresUs: b.postgres.size ? ticksToUs(pg) / messages : undefined };
}

function summary(rounds: AbRound[]) {
  const of = (pick: (r: AbRound) => number | undefined) => {
    const xs = rounds.map(pick).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  return { msgsPerS: of((r) => r.msgsPerS)!, p50Ms: of((r) => r.p50Ms)!, p99Ms: of((r) => r.p99Ms)!, serverUs: of((r) => r.serverUs), postgresUs: of((r) => r.postgresUs) };
}

function render(rounds: AbRound[], opts: AbOptions): string[] {
  const us = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(0)} µs`);
  const lines = [
    `versions a and b (bench/ab-switch.ts), ${opts.rounds} rounds of ${opts.roundS} s each in the order ${abOrder(opts.rounds).join(' ')}; medians:`,
    `  ${'version'.padEnd(8)} ${'msgs/s'.padStart(8)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'server/msg'.padStart(11)} ${'pg/msg'.padStart(8)}   rounds (msgs/s)`,
  ];
  const s = { a: summary(rounds.filter((r) => r.version === 'a')), b: summary(rounds.filter((r) => r.version === 'b')) };
  for (const v of ['a', 'b'] as const) {
    lines.push(
      `  ${v.padEnd(8)} ${s[v].msgsPerS.toFixed(0).padStart(8)} ${`${s[v].p50Ms.toFixed(2)} ms`.padStart(9)} ${`${s[v].p99Ms.toFixed(2)} ms`.padStart(9)} ${us(s[v].serverUs).padStart(11)} ${us(s[v].postgresUs).padStart(8)}   ${rounds
        .filter((r) => r.version === v)
        .map((r) => r.msgsPerS.toFixed(0))
        .join(', ')}`,
    );
  }
  // Rounds 1–2, 3–4 … are pairs of one a and one b, run back to back.
  const pairs = Array.from({ length: Math.floor(rounds.length / 2) }, (_, k) => [rounds[2 * k]!, rounds[2 * k + 1]!]);
  const bAhead = pairs.filter((pair) => pair.find((r) => r.version === 'b')!.msgsPerS > pair.find((r) => r.version === 'a')!.msgsPerS).length;
  lines.push(
    `  b/a: msgs/s ${(s.b.msgsPerS / s.a.msgsPerS).toFixed(3)}×, p99 ${(s.b.p99Ms / s.a.p99Ms).toFixed(3)}×; b ahead in ${bAhead} of ${pairs.length} back-to-back pairs`,
  );
  return lines;
}
