// Runs the outbox worker (worker.ts, bundled by scripts/bundle-server.mjs) from the server's
// thread, and starts it again if it dies: the outbox must keep going while the server runs.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { log } from '@/lib/log';
import type { ApiAccount } from '@/lib/wechat-account/account';

export interface OutboxWorkerData {
  databaseUrl: string;
  account: ApiAccount;
}
export type ToOutboxWorker = 'wake' | 'stop';

export interface OutboxWorker {
  /** Something was queued: send it soon rather than at the next poll. */
  wake(): void;
  /** Finishes the batch in hand, closes the worker's database pool and ends the thread. */
  stop(): Promise<void>;
}

const workerLog = log.child({ module: 'outbox' });
const RESTART_DELAY_MS = 5000;
// Under load every keyword batch wakes the outbox, and the worker starts at most one round per
// 100 ms anyway: one wake message per WAKE_EVERY_MS (the last one delayed, never dropped) is enough.
const WAKE_EVERY_MS = 20;

/**
 * Starts the bundled worker at `file`. Messages posted before it listens wait for it, so the handle
 * is usable at once. A worker that exits on its own (its database unreachable at start, say) is
 * started again after a few seconds.
 */
export function startOutboxWorker(file: string, data: OutboxWorkerData, opts: { restartDelayMs?: number } = {}): OutboxWorker {
  let worker: Worker;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let exited = Promise.resolve();

  const spawn = () => {
    // Small heap limits: the worker holds one batch (200 rows) at a time, and V8's defaults let an
    // idle-looking thread grow by tens of MB. Past them it ends with an error and is started again.
    worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
    exited = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        resolve();
        if (stopping) return;
        workerLog.warn({ code }, 'outbox worker stopped; starting it again shortly');
        restartTimer = setTimeout(spawn, opts.restartDelayMs ?? RESTART_DELAY_MS);
        restartTimer.unref();
      });
    });
    worker.on('error', (error) => workerLog.error({ err: error.message }, 'outbox worker failed'));
  };
  spawn();

  let lastWakeAt = 0;
  let wakeTimer: NodeJS.Timeout | undefined;
  const postWake = () => {
    wakeTimer = undefined;
    lastWakeAt = Date.now();
    worker.postMessage('wake' satisfies ToOutboxWorker);
  };

  return {
    wake() {
      if (wakeTimer) return;
      const wait = lastWakeAt + WAKE_EVERY_MS - Date.now();
      if (wait <= 0) postWake();
      else wakeTimer = setTimeout(postWake, wait);
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      clearTimeout(wakeTimer);
      worker.postMessage('stop' satisfies ToOutboxWorker);
      await exited;
    },
  };
}
