// Runs the outbox worker (worker.ts, bundled by scripts/build-outbox-worker.mjs) from the server's
// thread, and starts it again if it dies: the outbox must keep going while the server runs.
import { Worker } from 'node:worker_threads';
import { log } from '@/lib/log';

export interface OutboxWorkerData {
  databaseUrl: string;
  appId: string;
  appSecret: string;
  apiBase: string;
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
    worker = new Worker(file, { workerData: data });
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

  return {
    wake: () => worker.postMessage('wake' satisfies ToOutboxWorker),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      worker.postMessage('stop' satisfies ToOutboxWorker);
      await exited;
    },
  };
}
