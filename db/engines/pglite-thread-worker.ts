// PGlite's own thread (see pglite-thread.ts): opens the database in the folder it is given and runs
// what the server's thread sends, one call at a time in the order sent (the server's thread holds
// the locks, so it never sends two that could interleave).
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';
import { PglitePreparedStatements } from './pglite-prepared';
import type { PgliteThreadAnswer, PgliteThreadCall, PgliteThreadData, PgliteThreadError } from './pglite-thread-protocol';

const port = parentPort!;
const post = (answer: PgliteThreadAnswer) => port.postMessage(answer);

async function main(): Promise<void> {
  const { dir, options, from } = workerData as PgliteThreadData;
  let pg: PGlite;
  try {
    pg = new PGlite(dir, { ...options, loadDataDir: from && new Blob([from]) });
    await pg.waitReady;
  } catch (error) {
    // openPglite says which folder could not be opened.
    post({ failed: error instanceof Error ? error.message : String(error) });
    return;
  }
  const statements = new PglitePreparedStatements(pg);
  pg.onNotification((channel, payload) => post({ notification: { channel, payload } }));

  async function run(call: PgliteThreadCall): Promise<unknown> {
    switch (call.op) {
      case 'stream':
        return pg.execProtocolStream(call.message, { syncToFs: call.syncToFs });
      case 'syncToFs':
        return pg.syncToFs();
      case 'query':
        return statements.query(call.text, call.params);
      case 'transaction':
        return statements.transaction(call.statements);
      case 'close':
        return pg.close();
    }
  }

  // One call at a time, in order: each waits for the one before.
  let previous = Promise.resolve();
  port.on('message', (call: PgliteThreadCall) => {
    previous = previous.then(async () => {
      try {
        const value = await run(call);
        post({ id: call.id, value });
      } catch (error) {
        post({ id: call.id, error: errorData(error) });
      }
    });
  });
  post({ ready: true });
}

/** Postgres's error with its fields (SQLSTATE, constraint, …); anything else by its message alone. */
function errorData(error: unknown): PgliteThreadError {
  if (error instanceof messages.DatabaseError) return { message: error.message, fields: { ...error } };
  return { message: error instanceof Error ? error.message : String(error) };
}

void main();
