// Vacuum and statistics for the embedded database. PGlite runs Postgres as a single standalone
// backend, so autovacuum never runs there: without this, every update (a follower's send grant on
// each message, each outbox row's status) leaves a dead row behind for good, and the planner keeps
// the statistics of an empty database. Postgres servers run autovacuum: wekf only says so at start
// when it finds it off (vacuumWarnings).
import 'server-only';
import type { DatabaseHandle } from '../client';
import { rawExecutor } from './raw';

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
  for (const [i, statement] of upkeepStatements(opts).entries()) {
    // PGlite's calls continue one another as microtasks, so without this the event loop would not
    // read a request until the whole round had run (90–170 ms under load, against 30–100 ms for its
    // longest statement): a turn of it first, so requests are read, and queue for PGlite, in between.
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    await database.pglite.exec(statement);
    const ms = performance.now() - started;
    timings.totalMs += ms;
    if (ms > timings.longestMs) Object.assign(timings, { longestMs: ms, longest: statement });
  }
  return timings;
}

/**
 * What keeps a Postgres server from vacuuming wekf's hot tables: autovacuum off for the whole server,
 * or `autovacuum_enabled = false` on one of the tables. Each comes back as one sentence for the log.
 * Without vacuum, every update leaves its dead row for good and the statistics go stale: over a
 * 10-minute load Postgres spent twice the CPU a message (docs/benchmarks.md, stop 19). Empty on
 * PGlite, whose upkeep wekf runs itself.
 */
export async function vacuumWarnings(database: DatabaseHandle): Promise<string[]> {
  if (!database.postgres) return [];
  const [row] = await rawExecutor(database).query<{ autovacuum: string; disabled: string[] }>(
    `select current_setting('autovacuum') as autovacuum,
       coalesce(array_agg(t.name order by t.name) filter (where exists (
         select 1 from unnest(c.reloptions) as o where o ~* '^autovacuum_enabled=(false|off|no|0|f|n)$')), '{}') as disabled
     from unnest($1::text[]) as t(name) join pg_class c on c.oid = to_regclass(t.name)`,
    [HOT_TABLES],
  );
  const warnings: string[] = [];
  if (row?.autovacuum === 'off') {
    warnings.push('autovacuum is off on this Postgres server: wekf\'s tables keep every dead row and stale statistics, and the webhook slows as they grow; set autovacuum = on');
  }
  if (row && row.disabled.length > 0) {
    warnings.push(`autovacuum is disabled on ${row.disabled.join(', ')} (autovacuum_enabled = false): those tables keep every dead row; reset it with ALTER TABLE … RESET (autovacuum_enabled)`);
  }
  return warnings;
}
