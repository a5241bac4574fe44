// The printed report: throughput and latency, memory, CPU split, what Postgres waited on, the
// integrity checks. Plain text, so the same lines go to the terminal and to bench/results/.
import type { Check, OutboxStatusRow } from './integrity';
import type { LoadResult } from './load';
import type { CpuSplit } from './sample';

export interface RunReport {
  title: string;
  setup: string[];
  load: LoadResult;
  copies: number;
  messagesSent: number;
  rss: { startMb: number; peakMb: number; endMb: number };
  rssSeries?: { atMs: number; mb: number }[];
  soak?: {
    flat: boolean;
    growthMb: number;
    firstFloorMb: number;
    lastFloorMb: number;
    /** Heap V8 kept after major GCs (node --trace-gc), lowest in the first and last third. */
    heap?: { firstMb: number; lastMb: number; count: number };
  };
  cpu?: CpuSplit;
  pgWaits?: { key: string; avgConnections: number; share: number }[];
  checks: Check[];
  outbox: OutboxStatusRow[];
  targets: { name: string; met: boolean; detail: string }[];
  extra: string[];
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
const mb = (v: number) => `${v.toFixed(0)} MB`;

export function renderReport(r: RunReport): string {
  const seconds = r.load.durationUs / 1e6;
  const rps = r.load.completed / seconds;
  const errors = r.load.errors.connect + r.load.errors.read + r.load.errors.write + r.load.errors.timeout;
  const lines: string[] = [`== ${r.title}`, ...r.setup.map((s) => `   ${s}`), ''];
  lines.push(
    `throughput   ${(rps / r.copies).toFixed(0)} msgs/s` + (r.copies > 1 ? ` (${rps.toFixed(0)} requests/s, each message ×${r.copies})` : ''),
    `latency      p50 ${ms(r.load.p50Us)}   p90 ${ms(r.load.p90Us)}   p99 ${ms(r.load.p99Us)}   max ${ms(r.load.maxUs)}`,
    `responses    ${r.load.completed} in ${seconds.toFixed(1)} s; status ≥ 400: ${r.load.non2xx}; socket errors: ${errors}` +
      (errors ? ` (${JSON.stringify(r.load.errors)})` : ''),
    `messages     ${r.messagesSent} distinct MsgIds sent (including warm-up)`,
    `server RSS   start ${mb(r.rss.startMb)}   peak ${mb(r.rss.peakMb)}   end ${mb(r.rss.endMb)}`,
  );
  if (r.soak) {
    lines.push(
      `soak         ${r.soak.flat ? 'flat' : 'GROWING'}: lowest in the first third after minute 1 → lowest in the last third:`,
      r.soak.heap
        ? `             heap kept after major GC ${mb(r.soak.heap.firstMb)} → ${mb(r.soak.heap.lastMb)} (${r.soak.heap.count} major GCs)`
        : '             (no --trace-gc lines in the server log)',
      `             RSS ${mb(r.soak.firstFloorMb)} → ${mb(r.soak.lastFloorMb)} (${r.soak.growthMb >= 0 ? '+' : ''}${r.soak.growthMb.toFixed(0)} MB)`,
    );
  }
  if (r.rssSeries && r.rssSeries.length > 2) {
    lines.push(`RSS series   ${r.rssSeries.map((s) => `${Math.round(s.atMs / 1000)}s:${s.mb.toFixed(0)}`).join(' ')}`);
  }
  if (r.cpu) {
    const c = r.cpu;
    lines.push(
      `CPU (% of one core, ${c.cores} cores)  server ${c.server.toFixed(0)}%   postgres ${c.postgres.toFixed(0)}%   load generator ${c.loader.toFixed(0)}%   bench+fake WeChat ${c.bench.toFixed(0)}%   other ${c.other.toFixed(0)}%   (machine busy ${c.machineBusy.toFixed(0)}% of ${c.cores * 100}%)`,
    );
    // CPU time per message does not depend on how many messages the machine had room for, so it
    // compares runs better than msgs/s does (it still moves with the machine's speed).
    const perMessageUs = (pct: number) => `${((pct / 100 / (rps / r.copies)) * 1e6).toFixed(0)} µs`;
    lines.push(
      `CPU per message  server ${perMessageUs(c.server)}   postgres ${perMessageUs(c.postgres)}   whole machine ${perMessageUs(c.machineBusy)}`,
    );
  }
  if (r.pgWaits?.length) {
    lines.push('postgres connections of the server, sampled (state / wait event: average connections, share):');
    for (const w of r.pgWaits.slice(0, 8)) lines.push(`   ${w.key.padEnd(44)} ${w.avgConnections.toFixed(2).padStart(6)}  ${(w.share * 100).toFixed(0)}%`);
  }
  lines.push('', 'integrity:');
  for (const c of r.checks) lines.push(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}`);
  if (r.outbox.length) lines.push(`  outbox by kind/status: ${r.outbox.map((o) => `${o.kind}/${o.status} ${o.n}`).join(', ')}`);
  lines.push('', 'targets:');
  for (const t of r.targets) lines.push(`  ${t.met ? 'MET   ' : 'MISSED'}  ${t.name} — ${t.detail}`);
  if (r.extra.length) lines.push('', ...r.extra);
  return lines.join('\n');
}
