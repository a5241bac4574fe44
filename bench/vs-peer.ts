// `npm run bench -- --vs-peer` (issue 19): the same signed load against wekf, the peer and the
// ceiling (bench/peers.ts), in turn, several rounds, in one run — so a busy moment of the machine
// falls on all three alike — then medians and ratios. Only wekf's rounds reach the database; the
// bench's integrity checks run over them as over a normal run.
import { startLoad, type Loader, type LoadResult } from './load';
import type { Plan } from './plan';
import { preparePeers, startPeer, peerSourceDir, type PeerProcess } from './peers';
import { freePort } from './server';

export type SystemName = 'wekf' | 'peer' | 'ceiling';

export interface VsPeerOptions {
  root: string;
  plan: Plan;
  loader: Loader;
  connections: number;
  threads: number;
  rounds: number;
  roundS: number;
  dbKind: 'postgres' | 'pglite';
  /** One of wekf's rounds: its streams must be new, so every message of the run is distinct. */
  loadWekf: (durationS: number, streamBase: number) => Promise<LoadResult>;
}

export interface SystemFigures {
  name: SystemName;
  rounds: { msgsPerS: number; p50Ms: number; p99Ms: number; errors: number }[];
  msgsPerS: number;
  p50Ms: number;
  p99Ms: number;
}

export interface VsPeerResult {
  systems: SystemFigures[];
  /** wekf's median round (by msgs/s), for the usual report. */
  wekfResult: LoadResult;
  lines: string[];
  targets: { name: string; met: boolean; detail: string }[];
}

/** Peers' streams start here, away from wekf's (0 …) and the warm-up's (100 …). */
const PEER_STREAM_BASE = 200;
const PEER_WARMUP_S = 10;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function compareWithPeers(opts: VsPeerOptions): Promise<VsPeerResult> {
  const dir = preparePeers(peerSourceDir(opts.root));
  const peers: PeerProcess[] = [];
  try {
    for (const name of ['peer', 'ceiling'] as const) peers.push(await startPeer(dir, name, await freePort(), opts.plan.token));
    const loadPeer = (peer: PeerProcess, durationS: number, streamBase: number) =>
      startLoad({ loader: opts.loader, url: peer.url, path: peer.path, connections: opts.connections, durationS, threads: opts.threads, streamBase, plan: opts.plan }).result;
    for (const peer of peers) {
      console.log(`bench: warm-up of the ${peer.name} ${PEER_WARMUP_S} s`);
      await loadPeer(peer, PEER_WARMUP_S, PEER_STREAM_BASE);
    }

    const byName = new Map<SystemName, LoadResult[]>([
      ['wekf', []],
      ['peer', []],
      ['ceiling', []],
    ]);
    for (let round = 0; round < opts.rounds; round++) {
      for (const name of ['wekf', 'peer', 'ceiling'] as const) {
        console.log(`bench: round ${round + 1} of ${opts.rounds}: ${name}, ${opts.roundS} s`);
        const streamBase = round * opts.threads;
        const result =
          name === 'wekf'
            ? await opts.loadWekf(opts.roundS, streamBase)
            : await loadPeer(peers.find((p) => p.name === name)!, opts.roundS, PEER_STREAM_BASE + 10 + streamBase);
        byName.get(name)!.push(result);
      }
    }

    const systems = [...byName].map(([name, results]) => figuresOf(name, results, opts.plan.copies));
    const wekfResults = byName.get('wekf')!;
    const wekfMedian = systems[0]!.msgsPerS;
    const wekfResult = wekfResults.reduce((best, r) =>
      Math.abs(msgsPerS(r, opts.plan.copies) - wekfMedian) < Math.abs(msgsPerS(best, opts.plan.copies) - wekfMedian) ? r : best,
    );
    return { systems, wekfResult, lines: renderTable(systems, opts), targets: targetsOf(systems, opts.dbKind) };
  } finally {
    await Promise.all(peers.map((p) => p.stop().catch(() => {})));
  }
}

export function msgsPerS(r: LoadResult, copies: number): number {
  return r.completed / (r.durationUs / 1e6) / copies;
}

function figuresOf(name: SystemName, results: LoadResult[], copies: number): SystemFigures {
  const rounds = results.map((r) => ({
    msgsPerS: msgsPerS(r, copies),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    errors: r.non2xx + r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
  }));
  return {
    name,
    rounds,
    msgsPerS: median(rounds.map((r) => r.msgsPerS)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
  };
}

const LABELS: Record<SystemName, string> = {
  wekf: 'wekf',
  peer: 'peer (node-webot wechat, express, queue in a Map)',
  ceiling: 'ceiling (signature + parse + reply, no storage)',
};

function renderTable(systems: SystemFigures[], opts: VsPeerOptions): string[] {
  const peer = systems.find((s) => s.name === 'peer')!;
  const lines = [
    `side by side (${opts.rounds} alternating rounds of ${opts.roundS} s, ${opts.connections} connections, wekf on ${opts.dbKind}):`,
    `  ${'system'.padEnd(52)} ${'msgs/s'.padStart(8)} ${'× peer'.padStart(7)} ${'p50'.padStart(9)} ${'p99'.padStart(9)}   rounds (msgs/s)`,
  ];
  for (const s of systems) {
    const ratio = (s.msgsPerS / peer.msgsPerS).toFixed(2);
    const errors = s.rounds.reduce((a, r) => a + r.errors, 0);
    lines.push(
      `  ${LABELS[s.name].padEnd(52)} ${s.msgsPerS.toFixed(0).padStart(8)} ${`${ratio}×`.padStart(7)} ${`${s.p50Ms.toFixed(2)} ms`.padStart(9)} ${`${s.p99Ms.toFixed(2)} ms`.padStart(9)}   ${s.rounds.map((r) => r.msgsPerS.toFixed(0)).join(', ')}${errors ? `   ${errors} errors` : ''}`,
    );
  }
  return lines;
}

/** Issue 19's targets: Postgres at least the peer's throughput and no worse p99; PGlite 0.6× and 2×. */
function targetsOf(systems: SystemFigures[], dbKind: 'postgres' | 'pglite'): VsPeerResult['targets'] {
  const wekf = systems.find((s) => s.name === 'wekf')!;
  const peer = systems.find((s) => s.name === 'peer')!;
  const ratio = wekf.msgsPerS / peer.msgsPerS;
  const [minRatio, maxP99] = dbKind === 'postgres' ? [1.0, 1] : [0.6, 2];
  return [
    { name: `≥ ${minRatio.toFixed(1)}× the peer's msgs/s on ${dbKind}`, met: ratio >= minRatio, detail: `${ratio.toFixed(2)}× (${wekf.msgsPerS.toFixed(0)} vs ${peer.msgsPerS.toFixed(0)})` },
    {
      name: `p99 ≤ ${maxP99 === 1 ? '' : `${maxP99}× `}the peer's on ${dbKind}`,
      met: wekf.p99Ms <= maxP99 * peer.p99Ms,
      detail: `${wekf.p99Ms.toFixed(2)} ms vs ${peer.p99Ms.toFixed(2)} ms`,
    },
    { name: 'zero errors in every round', met: systems.every((s) => s.rounds.every((r) => r.errors === 0)), detail: systems.map((s) => `${s.name} ${s.rounds.reduce((a, r) => a + r.errors, 0)}`).join(', ') },
  ];
}
