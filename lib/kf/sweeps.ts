// Periodic upkeep: waiting sessions past their expiry become `expired` (reads already treat them so).
import type { DatabaseHandle } from '@/db/client';
import { expireWaitingSessions } from '@/db/queries/customer-sessions';
import { log } from '@/lib/log';

const sweepLog = log.child({ module: 'sweeps' });

export function startExpirySweep(database: () => DatabaseHandle, everyMs = 15_000): () => void {
  const timer = setInterval(() => {
    expireWaitingSessions(database().db, { now: new Date() })
      .then((n) => n > 0 && sweepLog.info({ expired: n }, 'expired waiting sessions'))
      .catch((error: unknown) => sweepLog.warn({ err: error instanceof Error ? error.message : String(error) }, 'expiry sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
