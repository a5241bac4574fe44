// Periodic upkeep: waiting sessions past their expiry become `expired` (reads already treat them so)
// and their followers are told; the replay store forgets queries older than the freshness window;
// and on PGlite, which has no autovacuum, the hot tables are vacuumed and analyzed.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { expireWaitingSessions } from '@/db/queries/customer-sessions';
import { vacuumEmbedded } from '@/db/queries/maintenance';
import { enqueueOutbox } from '@/db/queries/outbox';
import { deleteStaleNonces } from '@/db/queries/replay-store';
import { errorText, log } from '@/lib/log';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import { loadKfSettings } from './settings';
import { renderText } from './texts';

const sweepLog = log.child({ module: 'sweeps' });

/**
 * A wait that ran out longer ago than this (wekf was down meanwhile) ends without a word to the
 * follower: a notice hours late reads as noise.
 */
export const WAIT_EXPIRED_NOTICE_WITHIN_MS = 60 * 60_000;

/**
 * Ends every wait that has run out and tells each follower (the waitExpired text, through the
 * outbox), in one transaction: each ended wait is returned to one sweeping instance only, so it is
 * told once. How many ended, and how many of those were told.
 */
export async function expireWaits(database: DatabaseHandle, now: Date): Promise<{ expired: number; told: number }> {
  const settings = await loadKfSettings(database);
  return database.db.transaction(async (tx) => {
    const ended = await expireWaitingSessions(tx, { now });
    const text = renderText(settings, 'waitExpired');
    const rows = ended
      .filter((wait) => now.getTime() - wait.waitExpiresAt.getTime() <= WAIT_EXPIRED_NOTICE_WITHIN_MS)
      .map((wait) => ({ kind: 'wait_expired', openid: wait.openid, priority: OUTBOX_PRIORITY.closing, payload: textPayload(text, { session: wait.id }) }));
    await enqueueOutbox(tx, rows);
    return { expired: ended.length, told: rows.length };
  });
}

/** Every `everyMs`, expireWaits; `onQueued` when it queued a notice, so it goes out now. */
export function startExpirySweep(database: () => DatabaseHandle, opts: { everyMs?: number; onQueued?: () => void } = {}): () => void {
  const timer = setInterval(() => {
    expireWaits(database(), new Date())
      .then((n) => {
        if (n.expired === 0) return;
        sweepLog.info(n, 'expired waiting sessions');
        if (n.told > 0) opts.onQueued?.();
      })
      .catch((error: unknown) => sweepLog.warn({ err: errorText(error) }, 'expiry sweep failed'));
  }, opts.everyMs ?? 15_000);
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

/**
 * The longest single upkeep statement a request should wait behind (issue 19): a round whose longest
 * statement took more is logged as a warning, so an operator sees the embedded database outgrow it.
 */
export const UPKEEP_PAUSE_BUDGET_MS = 300;

/**
 * On PGlite only: vacuum the hot tables every 15 s, and analyze them every 40th round (every 10
 * minutes), starting with the first. A vacuum's pause grows with the rows changed since the one
 * before (its heap pass reads every page written since), so frequent rounds keep each pause short
 * under load (every minute, a round's longest statement was 81–124 ms at about 1,500 messages a
 * second; every 15 s, 20–90 ms through a 10-minute soak: docs/benchmarks.md) and cost a few ms when
 * nothing changed. ANALYZE samples a fixed number of rows whatever changed, so it stays at every 10
 * minutes.
 */
export function startEmbeddedMaintenance(
  database: () => DatabaseHandle,
  opts: { firstMs?: number; everyMs?: number; analyzeEveryRounds?: number } = {},
): () => void {
  if (database().kind !== 'pglite') return () => {};
  const analyzeEveryRounds = opts.analyzeEveryRounds ?? 40;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let round = 0;
  // Each round at debug (the bench reads them), one line at info for every analyzeEveryRounds
  // rounds (10 minutes) with the longest pause among them, and a warning for a round over budget.
  let since = { rounds: 0, longestPauseMs: 0, longestStatement: '' };
  const run = () => {
    const analyze = round % analyzeEveryRounds === 0;
    round += 1;
    vacuumEmbedded(database(), { analyze })
      // Pushes wait while each statement runs (in this thread, or queued in PGlite's own): the longest is the pause they saw.
      .then((t) => {
        if (!t) return;
        const fields = { analyze, ms: Math.round(t.totalMs), longestMs: Math.round(t.longestMs), longest: t.longest };
        if (t.longestMs > UPKEEP_PAUSE_BUDGET_MS) sweepLog.warn(fields, 'embedded database upkeep held requests longer than its budget');
        else sweepLog.debug(fields, 'vacuumed the embedded database');
        since.rounds += 1;
        if (fields.longestMs >= since.longestPauseMs) Object.assign(since, { longestPauseMs: fields.longestMs, longestStatement: t.longest });
        if (since.rounds === analyzeEveryRounds) {
          sweepLog.info(since, 'embedded database upkeep over its last rounds');
          since = { rounds: 0, longestPauseMs: 0, longestStatement: '' };
        }
      })
      .catch((error: unknown) => sweepLog.warn({ err: errorText(error) }, 'vacuum failed'))
      .finally(() => {
        if (!stopped) schedule(opts.everyMs ?? 15_000);
      });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  schedule(opts.firstMs ?? 15_000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
