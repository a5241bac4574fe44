import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { findJobRun } from '@/db/queries/job-runs';
import { recordPlainMessages, type PlainMessage } from '@/db/queries/plain-message';
import { rawExecutor } from '@/db/queries/raw';
import { forgetOldPushes, PUSH_RETENTION_JOB, startPushRetention } from '@/lib/kf/push-retention';
import { testDatabases } from './databases';

// PUSH_RETENTION_DAYS (lib/kf/push-retention.ts): pushes received before the cutoff are deleted in
// slices from the oldest id; the ones inside it stay, and a retry of one still gets its reply.

const NOW = new Date('2026-12-01T02:00:00Z');
const DAY = 24 * 3600_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

const push = (dedupeKey: string): PlainMessage => ({
  dedupeKey,
  openid: `o_${dedupeKey}`,
  msgType: 'text',
  summary: 'hi',
  replyWithoutSession: `hint for ${dedupeKey}`,
  replyWhileWaiting: 'transfer',
  replyToAgent: { before: 'agent:', after: '' },
});

describe.each(testDatabases)('push retention on $kind', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ handle, drop } = await testDb.open()));
  afterAll(() => drop());

  const keys = async () =>
    (await rawExecutor(handle).query<{ dedupe_key: string }>('select dedupe_key from inbound_messages order by id', [])).map((r) => r.dedupe_key);

  /** `count` pushes named `<prefix>:<n>`, each received `days` days before NOW. */
  async function receive(prefix: string, count: number, days: number): Promise<void> {
    const batch = Array.from({ length: count }, (_, n) => push(`${prefix}:${n}`));
    await recordPlainMessages(handle, batch, daysAgo(days));
  }

  it('deletes the pushes received before the cutoff, oldest first in slices, and keeps the rest', async () => {
    await rawExecutor(handle).query('delete from inbound_messages', []);
    await receive('old', 7, 40);
    await receive('edge', 2, 29.9);
    await receive('new', 3, 1);

    // Two slices of three: six of the seven old pushes, and a backlog left for the next run.
    const first = await forgetOldPushes({ database: handle, days: 30, now: NOW, sliceRows: 3, maxSlices: 2 });
    expect(first).toEqual({ deleted: 6, before: daysAgo(30).toISOString(), backlog: true });
    expect(await keys()).toEqual(['old:6', 'edge:0', 'edge:1', 'new:0', 'new:1', 'new:2']);

    // The next run reaches the pushes inside the 30 days and stops there.
    const second = await forgetOldPushes({ database: handle, days: 30, now: NOW, sliceRows: 3, maxSlices: 2 });
    expect(second).toMatchObject({ deleted: 1, backlog: false });
    expect(await keys()).toEqual(['edge:0', 'edge:1', 'new:0', 'new:1', 'new:2']);

    // A retry of a kept push is still answered with its first reply, and stores nothing new.
    const [retry] = await recordPlainMessages(handle, [push('edge:1')], NOW);
    expect(retry).toEqual({ reply: 'hint for edge:1', queued: false });
    expect(await keys()).toHaveLength(5);
  });

  it('deletes nothing when every push is inside the retention', async () => {
    await rawExecutor(handle).query('delete from inbound_messages', []);
    await receive('recent', 4, 2);
    expect(await forgetOldPushes({ database: handle, days: 3, now: NOW, sliceRows: 2 })).toMatchObject({ deleted: 0, backlog: false });
    expect(await keys()).toHaveLength(4);
  });

  it('runs as a background job recorded in job_runs, and not at all with 0 days', async () => {
    await rawExecutor(handle).query('delete from inbound_messages', []);
    // Received by the real clock, as the job measures its cutoff by it.
    await recordPlainMessages(handle, [push('job:old')], new Date(Date.now() - 10 * DAY));
    await recordPlainMessages(handle, [push('job:new')], new Date());

    expect(startPushRetention(() => handle, 0)).toBeUndefined();
    const job = startPushRetention(() => handle, 7, 3_600_000)!;
    await job.runNow();
    await job.stop();
    expect(await keys()).toEqual(['job:new']);
    const run = await findJobRun(handle.db, { name: PUSH_RETENTION_JOB });
    expect(run?.lastOkAt).toBeInstanceOf(Date);
    expect(run?.lastSummary).toMatchObject({ deleted: 1, backlog: false });
  });
});
