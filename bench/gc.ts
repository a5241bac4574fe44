// --soak runs the server with node --trace-gc: after every major (mark-compact) collection V8 logs
// the heap it kept. That, not RSS, says whether memory is retained: RSS saws with collection and
// V8 keeps freed pages for a while.
import fs from 'node:fs';

export interface MajorGc {
  /** ms since the server process started */
  atMs: number;
  afterMb: number;
}

// "[pid:0x…]   32567 ms: Mark-Compact 120.5 (140.2) -> 98.7 (141.0) MB, …"; the 0x… names the V8
// isolate, and the time counts from that isolate's start.
const MARK_COMPACT = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

/**
 * The main thread's major collections. Worker threads (the outbox's) log theirs too,
 * each on its own clock; the main thread is the isolate with the largest heap.
 */
export function majorGcs(logFile: string): MajorGc[] {
  const byIsolate = new Map<string, MajorGc[]>();
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    const m = MARK_COMPACT.exec(line);
    if (!m) continue;
    const gcs = byIsolate.get(m[1]!) ?? [];
    gcs.push({ atMs: Number(m[2]), afterMb: Number(m[3]) });
    byIsolate.set(m[1]!, gcs);
  }
  const largest = (gcs: MajorGc[]) => Math.max(...gcs.map((g) => g.afterMb));
  return [...byIsolate.values()].sort((a, b) => largest(b) - largest(a))[0] ?? [];
}

/** Heap kept after major GCs: the lowest in the first and in the last third of [fromMs, toMs]. */
export function retainedHeap(gcs: MajorGc[], fromMs: number, toMs: number): { firstMb: number; lastMb: number; count: number } | undefined {
  const span = (toMs - fromMs) / 3;
  const lowest = (a: number, b: number) => Math.min(...gcs.filter((g) => g.atMs >= a && g.atMs <= b).map((g) => g.afterMb));
  const firstMb = lowest(fromMs, fromMs + span);
  const lastMb = lowest(toMs - span, toMs);
  const count = gcs.filter((g) => g.atMs >= fromMs && g.atMs <= toMs).length;
  return Number.isFinite(firstMb) && Number.isFinite(lastMb) ? { firstMb, lastMb, count } : undefined;
}
