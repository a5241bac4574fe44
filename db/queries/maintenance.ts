// Vacuum and statistics for the embedded database. PGlite runs Postgres as a single standalone
// backend, so autovacuum never runs there: without this, every update (a follower's send grant on
// each message, each outbox row's status) leaves a dead row behind for good, and the planner keeps
// the statistics of an empty database. Postgres servers run autovacuum; this leaves them alone.
import 'server-only';
import type { DatabaseHandle } from '../client';

// The tables updated on the hot path. One statement each, so other queries get the single PGlite
// connection in between.
const HOT_TABLES = ['followers', 'outbox', 'customer_sessions', 'inbound_messages', 'wechat_tokens', 'login_attempts', 'webhook_nonces'] as const;

/**
 * The upkeep's statements, in order; each holds PGlite's one thread while it runs, and requests get
 * it in between. VACUUM and ANALYZE are separate statements so the longest pause is the longer of
 * the two, not their sum: after 5 minutes of the bench's load, 290–390 ms against 325–570 ms for
 * `vacuum (analyze)` on the same folder (bench/upkeep-pause.ts, docs/benchmarks.md).
 */
export function upkeepStatements(): string[] {
  return HOT_TABLES.flatMap((table) => [`vacuum ${table}`, `analyze ${table}`]);
}

export async function vacuumEmbedded(database: DatabaseHandle): Promise<void> {
  if (!database.pglite) return;
  for (const statement of upkeepStatements()) await database.pglite.exec(statement);
}
