// outbox_due (migration 0011): the outbox rows still to send, kept by triggers whatever writes the
// outbox, and the reason it exists: the dispatcher's claim and write-back change no indexed column,
// so they are HOT updates that leave the outbox's indexes alone.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { CLAIM_DUE_OUTBOX, claimDueOutbox, enqueueOutbox, recordOutboxOutcomes } from '@/db/queries/outbox';
import { pipelinedTransaction, rawExecutor } from '@/db/queries/raw';
import { emptiedForEachTest, testDatabases } from './databases';

describe.each(testDatabases)('outbox_due on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  const query = <T>(text: string, params: unknown[] = []) => rawExecutor(database).query<T>(text, params);
  // A little ahead of the database's clock, so rows queued with next_attempt_at = now() are due.
  const soon = () => new Date(Date.now() + 1000);

  beforeEach(async () => {
    ({ handle: database, drop } = await testDb.open());
  });
  afterEach(() => drop());

  /** outbox_due's rows, and the outbox rows that should be there: (priority, id) of pending and sending. */
  async function dueAndExpected(): Promise<{ due: string[]; expected: string[] }> {
    const due = await query<{ k: string }>(`select priority || ':' || outbox_id as k from outbox_due order by 1`);
    const expected = await query<{ k: string }>(`select priority || ':' || id as k from outbox where status in ('pending', 'sending') order by 1`);
    return { due: due.map((r) => r.k), expected: expected.map((r) => r.k) };
  }

  async function enqueue(openids: string[], priority = 5): Promise<number[]> {
    await enqueueOutbox(database.db, openids.map((openid) => ({ kind: 'text', openid, payload: { msgtype: 'text' }, priority })));
    const rows = await query<{ id: number }>(`select id from outbox where openid = any($1::text[]) order by id`, [openids]);
    return rows.map((r) => r.id);
  }

  it('lists every row still to send, and follows each status change and priority change', async () => {
    const [a, b, c, d] = await enqueue(['o_a', 'o_b', 'o_c', 'o_d']);
    // Written by hand as finished: never due.
    await query(`insert into outbox (kind, openid, payload, status, sent_at) values ('text', 'o_done', '{}', 'sent', now())`);
    let state = await dueAndExpected();
    expect(state.due).toEqual([`5:${a}`, `5:${b}`, `5:${c}`, `5:${d}`]);
    expect(state.due).toEqual(state.expected);

    // Claimed rows (sending) stay due: a lease that runs out hands them back.
    const claimed = await claimDueOutbox(database, { limit: 10, now: soon(), leaseMs: 30_000 });
    expect(claimed.map((r) => r.id).sort((x, y) => x - y)).toEqual([a, b, c, d]);
    expect((await dueAndExpected()).due).toHaveLength(4);

    await recordOutboxOutcomes(database, {
      now: soon(),
      outcomes: [
        { id: a!, outcome: 'sent', at: soon() },
        { id: b!, outcome: 'failed', errcode: 45015, error: 'response out of time limit' },
        { id: c!, outcome: 'retry', at: soon(), errcode: -1, error: 'system busy' },
      ],
    });
    state = await dueAndExpected();
    expect(state.due).toEqual([`5:${c}`, `5:${d}`]);
    expect(state.due).toEqual(state.expected);

    // Back to pending by hand (an operator's retry), a new priority, a deleted row.
    await query(`update outbox set status = 'pending' where id = $1`, [b]);
    await query(`update outbox set priority = 1 where id = $1`, [c]);
    await query(`delete from outbox where id = $1`, [d]);
    state = await dueAndExpected();
    expect(state.due).toEqual([`1:${c}`, `5:${b}`]);
    expect(state.due).toEqual(state.expected);
  });

  it('is what the claim walks: priority first, then age, and nothing finished', async () => {
    const [low] = await enqueue(['o_low'], 9);
    const [high] = await enqueue(['o_high'], 1);
    const [sent] = await enqueue(['o_sent'], 0);
    await query(`update outbox set status = 'sent', sent_at = now() where id = $1`, [sent]);
    const claimed = await claimDueOutbox(database, { limit: 10, now: soon(), leaseMs: 30_000 });
    expect(claimed.map((r) => r.id).sort((x, y) => x - y)).toEqual([low, high]);
    // Leased: not claimed again before the lease ends, though still due.
    expect(await claimDueOutbox(database, { limit: 10, now: soon(), leaseMs: 30_000 })).toEqual([]);
    expect((await dueAndExpected()).due).toHaveLength(2);
  });

  it('lets the claim and the write to sent be HOT updates (no index rewritten)', async () => {
    const ids = await enqueue(['o_1', 'o_2', 'o_3']);
    const now = soon();
    // This backend's counters, read before and after in one transaction: the difference is its updates.
    const counters = {
      text: `select pg_stat_get_xact_tuples_updated('outbox'::regclass)::int as updated,
        pg_stat_get_xact_tuples_hot_updated('outbox'::regclass)::int as hot`,
      params: [],
    };
    const results = await pipelinedTransaction(database, [
      counters,
      { text: CLAIM_DUE_OUTBOX, params: [now.toISOString(), new Date(now.getTime() + 30_000).toISOString(), 10] },
      // As the write-back marks a sent row: status and sent_at, neither in an index.
      { text: `update outbox set status = 'sent', sent_at = now() where id = any($1::int[])`, params: [ids] },
      counters,
    ]);
    expect(results[1]).toHaveLength(3);
    const [before, after] = [results[0]![0], results[3]![0]] as { updated: number; hot: number }[];
    expect({ updated: after!.updated - before!.updated, hot: after!.hot - before!.hot }).toEqual({ updated: 6, hot: 6 });
    expect((await dueAndExpected()).due).toEqual([]);
  });
});
