// Periodic upkeep: waiting sessions past their expiry become `expired` (reads already treat them so),
// the replay store forgets queries older than the freshness window, and on PGlite, which has no
// autovacuum, the hot tables are vacuumed and analyzed.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { expireWaitingSessions } from '@/db/queries/customer-sessions';
import { vacuumEmbedded } from '@/db/queries/maintenance';
import { deleteStaleNonces } from '@/db/queries/replay-store';
import { errorText, log } from '@/lib/log';

const sweepLog = log.child({ module: 'sweeps' });

export function startExpirySweep(database: () => DatabaseHandle, everyMs = 15_000): () => void {
  const timer = setInterval(() => {
    expireWaitingSessions(database().db, { now: new Date() })
      .then((n) => n > 0 && sweepLog.info({ expired: n }, 'expired waiting sessions'))
      .catch((error: unknown) => sweepLog.warn({ err: errorText(error) }, 'expiry sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Deletes the replay store's queries whose timestamp the query check now refuses as stale (older
 * than maxSkewSeconds by the wall clock, as webhook-query.ts measures it); the number deleted.
 */
export function sweepReplayStore(database: DatabaseHandle, opts: { maxSkewSeconds: number; nowMs?: number }): Promise<number> {
  const nowSeconds = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  return deleteStaleNonces(database, nowSeconds - opts.maxSkewSeconds);
}

/** Every `everyMs`, sweepReplayStore: the table holds about one freshness window of pushes. */
export function startReplaySweep(database: () => DatabaseHandle, maxSkewSeconds: number, everyMs = 30_000): () => void {
  const timer = setInterval(() => {
    sweepReplayStore(database(), { maxSkewSeconds })
      .then((n) => n > 0 && sweepLog.debug({ deleted: n }, 'forgot stale push queries'))
      .catch((error: unknown) => sweepLog.warn({ err: errorText(error) }, 'replay store sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** On PGlite only: vacuum and analyze a minute after start, then every 10 minutes. */
export function startEmbeddedMaintenance(database: () => DatabaseHandle, opts: { firstMs?: number; everyMs?: number } = {}): () => void {
  if (database().kind !== 'pglite') return () => {};
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    const started = performance.now();
    vacuumEmbedded(database())
      // PGlite runs in this thread, so requests wait while each table is done: the total belongs in the log.
      .then(() => sweepLog.info({ ms: Math.round(performance.now() - started) }, 'vacuumed and analyzed the embedded database'))
      .catch((error: unknown) => sweepLog.warn({ err: errorText(error) }, 'vacuum failed'))
      .finally(() => {
        if (!stopped) schedule(opts.everyMs ?? 10 * 60_000);
      });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  schedule(opts.firstMs ?? 60_000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
