// Vacuum and statistics for the embedded database. PGlite runs Postgres as a single standalone
// backend, so autovacuum never runs there: without this, every update (a follower's send grant on
// each message, each outbox row's status) leaves a dead row behind for good, and the planner keeps
// the statistics of an empty database. Postgres servers run autovacuum; this leaves them alone.
import 'server-only';
import type { DatabaseHandle } from '../client';

// The tables updated on the hot path. One statement each, so other queries get the single PGlite
// connection in between.
const HOT_TABLES = ['followers', 'outbox', 'outbox_due', 'customer_sessions', 'inbound_messages', 'wechat_tokens', 'login_attempts', 'webhook_nonces'] as const;

/**
 * The upkeep's statements, in order; each holds PGlite's one thread while it runs, and requests get
 * it in between. VACUUM and ANALYZE are separate statements so the longest pause is the longer of
 * the two, not their sum. ANALYZE samples a fixed number of rows, so its cost does not shrink when
 * it runs more often: `analyze: false` leaves it out of the frequent rounds.
 */
export function upkeepStatements(opts: { analyze?: boolean } = {}): string[] {
  const analyze = opts.analyze ?? true;
  return HOT_TABLES.flatMap((table) => (analyze ? [`vacuum ${table}`, `analyze ${table}`] : [`vacuum ${table}`]));
}

/** What one upkeep took: its statements' total, and the longest one, the pause requests saw. */
export interface UpkeepTimings {
  totalMs: number;
  longestMs: number;
  longest: string;
}

export async function vacuumEmbedded(database: DatabaseHandle, opts: { analyze?: boolean } = {}): Promise<UpkeepTimings | null> {
  if (!database.pglite) return null;
  const timings: UpkeepTimings = { totalMs: 0, longestMs: 0, longest: '' };
  for (const statement of upkeepStatements(opts)) {
    const started = performance.now();
    await database.pglite.exec(statement);
    const ms = performance.now() - started;
    timings.totalMs += ms;
    if (ms > timings.longestMs) Object.assign(timings, { longestMs: ms, longest: statement });
  }
  return timings;
}
