// Every open live page refetches after the same event, so 200 pages would read the queue 200 times
// for one change. Pages served by this instance share one read per event instead: a read started
// after the hub's latest event is current until the next one. Only while the hub listens (some page
// holds an event stream), and never older than MAX_AGE_MS, so nothing can stay stale unnoticed.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { readLiveQueue, type LiveQueue } from '@/db/queries/live-queue';
import { liveHub } from './hub';

const MAX_AGE_MS = 2000;

interface SharedRead {
  sequence: number;
  startedAt: number;
  startOfToday: number;
  result: Promise<LiveQueue>;
}

const SHARED = Symbol.for('wekf.liveSharedRead');

export function readLiveQueueShared(database: DatabaseHandle, params: { now: Date; startOfToday: Date }): Promise<LiveQueue> {
  const hub = liveHub(database);
  const holder = database as DatabaseHandle & { [SHARED]?: SharedRead };
  const cached = holder[SHARED];
  const fresh =
    cached &&
    hub.listenerCount > 0 &&
    cached.sequence === hub.currentSequence &&
    cached.startOfToday === params.startOfToday.getTime() &&
    params.now.getTime() - cached.startedAt < MAX_AGE_MS;
  if (fresh) return cached.result;
  const result = readLiveQueue(database.db, params);
  const entry: SharedRead = { sequence: hub.currentSequence, startedAt: params.now.getTime(), startOfToday: params.startOfToday.getTime(), result };
  holder[SHARED] = entry;
  // A failed read is not shared.
  result.catch(() => {
    if (holder[SHARED] === entry) delete holder[SHARED];
  });
  return result;
}
