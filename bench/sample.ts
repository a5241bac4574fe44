// What the machine is doing during a run, read from /proc: the server's RSS over time, and CPU time
// per component (server, load generator, Postgres processes, this bench process with the fake
// WeChat) so the report can say where the two cores went. Plus, on Postgres, what the server's
// connections are waiting on (pg_stat_activity sampled several times a second).
import fs from 'node:fs';
import type { RawDb } from './seed';

export const CLOCK_TICKS = 100; // USER_HZ on Linux

export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class RssSampler {
  readonly samples: { atMs: number; mb: number }[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #started = Date.now();

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const mb = rssMb(this.pid);
    if (mb !== undefined) this.samples.push({ atMs: Date.now() - this.#started, mb });
  }

  stop(): { startMb: number; peakMb: number; endMb: number } {
    clearInterval(this.#timer);
    this.sample();
    const mbs = this.samples.map((s) => s.mb);
    return { startMb: mbs[0] ?? 0, peakMb: Math.max(...mbs), endMb: mbs[mbs.length - 1] ?? 0 };
  }
}

function processTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) — utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Postgres processes that work for this run: the backends connected to the bench database and the
 * server-wide ones (WAL writer, checkpointer…). Backends of other databases (someone else's tests on
 * the same server) are left out; their CPU shows up as "other".
 */
function postgresPids(benchDb: string | undefined): number[] {
  const pids: number[] = [];
  if (benchDb === undefined) return pids; // PGlite: the database runs inside the server process
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      // The process title: "postgres: 15/main: <user> <database> <host>(<port>) <state>" for a backend.
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const backend = /^postgres: \S+: \S+ (\S+) \S+\(\d+\)/.exec(title);
      if (backend && backend[1] !== benchDb) continue;
      pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** CPU time the Postgres processes working for this database have used so far, in ms. */
export function postgresCpuMs(benchDb: string): number {
  let ticks = 0;
  for (const pid of postgresPids(benchDb)) ticks += processTicks(pid) ?? 0;
  return (ticks / CLOCK_TICKS) * 1000;
}

function machineTicks(): { total: number; idle: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { total: v.reduce((a, b) => a + b, 0), idle };
}

export interface CpuSnapshot {
  atMs: number;
  server: number;
  loader: number;
  bench: number;
  postgres: Map<number, number>;
  machine: { total: number; idle: number };
}

export function cpuSnapshot(pids: { server: number; loader: number; benchDb?: string }): CpuSnapshot {
  const postgres = new Map<number, number>();
  for (const pid of postgresPids(pids.benchDb)) {
    const t = processTicks(pid);
    if (t !== undefined) postgres.set(pid, t);
  }
  return {
    atMs: Date.now(),
    server: processTicks(pids.server) ?? 0,
    loader: processTicks(pids.loader) ?? 0,
    bench: processTicks(process.pid) ?? 0,
    postgres,
    machine: machineTicks(),
  };
}

/** CPU used between two snapshots, in % of one core (200% = both cores of a 2-core machine). */
export interface CpuSplit {
  server: number;
  postgres: number;
  loader: number;
  bench: number;
  /** Everything else on the machine (other people's processes, the kernel's own threads). */
  other: number;
  machineBusy: number;
  cores: number;
}

export function cpuSplit(a: CpuSnapshot, b: CpuSnapshot): CpuSplit {
  const seconds = (b.atMs - a.atMs) / 1000;
  const pct = (ticks: number) => (ticks / CLOCK_TICKS / seconds) * 100;
  let pg = 0;
  for (const [pid, t] of b.postgres) pg += t - (a.postgres.get(pid) ?? 0);
  const total = b.machine.total - a.machine.total;
  const cores = total / CLOCK_TICKS / seconds;
  const split = {
    server: pct(b.server - a.server),
    postgres: pct(pg),
    loader: pct(b.loader - a.loader),
    bench: pct(b.bench - a.bench),
    machineBusy: ((total - (b.machine.idle - a.machine.idle)) / total) * 100 * Math.round(cores),
    cores: Math.round(cores),
  };
  return { ...split, other: Math.max(0, split.machineBusy - split.server - split.postgres - split.loader - split.bench) };
}

/** How busy the machine is right now (% of one core), measured over `ms`. */
export async function machineBusyPct(ms = 1000): Promise<number> {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTicks();
  const total = b.total - a.total;
  const cores = total / CLOCK_TICKS / (ms / 1000);
  return total ? ((total - (b.idle - a.idle)) / total) * 100 * Math.round(cores) : 0;
}

/** Tally of (state, wait event) over every sampled server connection to the bench database. */
export class PgActivitySampler {
  readonly tally = new Map<string, number>();
  samples = 0;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(
    private readonly db: RawDb,
    intervalMs = 200,
  ) {
    this.#timer = setInterval(() => void this.sample(), intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const rows = await this.db.query<{ state: string; wait: string; n: number }>(
        `select coalesce(state, '?') as state,
                coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait,
                count(*)::int as n
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
          group by 1, 2`,
      );
      this.samples++;
      for (const r of rows) {
        const key = `${r.state} / ${r.wait}`;
        this.tally.set(key, (this.tally.get(key) ?? 0) + r.n);
      }
    } catch {
      // sampling is best effort
    } finally {
      this.#busy = false;
    }
  }

  stop(): { key: string; avgConnections: number; share: number }[] {
    clearInterval(this.#timer);
    const total = [...this.tally.values()].reduce((a, b) => a + b, 0) || 1;
    return [...this.tally.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => ({ key, avgConnections: n / Math.max(1, this.samples), share: n / total }));
  }
}
