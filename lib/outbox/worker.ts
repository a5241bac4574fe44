// The outbox dispatcher on a thread of its own (worker_threads), for a server on Postgres: sending
// to WeChat then never holds up the webhook's event loop. It opens its own small connection pool;
// rows are claimed with SKIP LOCKED, so it is one more dispatcher like any other instance's.
import 'server-only';
import { parentPort, workerData } from 'node:worker_threads';
import { openPostgres } from '@/db/engines/postgres';
import { kfApiFor } from '@/lib/wechat-account/api-client';
import { OutboxDispatcher } from './dispatcher';
import type { OutboxWorkerData, ToOutboxWorker } from './worker-host';

const data = workerData as OutboxWorkerData;
const database = await openPostgres(data.databaseUrl, { max: 3 });
const dispatcher = new OutboxDispatcher({ database: () => database, kf: kfApiFor(data.account, () => database) });
dispatcher.start();

parentPort!.on('message', (message: ToOutboxWorker) => {
  if (message === 'wake') {
    dispatcher.wake();
    return;
  }
  void dispatcher
    .stop()
    .then(() => database.close())
    .finally(() => parentPort!.close());
});
