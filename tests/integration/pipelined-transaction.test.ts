import { describe, expect, it } from 'vitest';
import { isSessionRaceLost } from '@/db/queries/keyword-messages';
import { pipelinedTransaction, rawExecutor } from '@/db/queries/raw';
import { pgliteThreadDatabase, testDatabases } from './databases';

// pipelinedTransaction sends BEGIN, the statements and COMMIT together. What must hold: the
// statements run in order inside the transaction, each seeing the ones before, and one that raises
// takes the others' writes with it.
describe.each([...testDatabases, pgliteThreadDatabase])('pipelinedTransaction on $label', (testDb) => {
  const insert = (value: string) => ({
    text: `insert into settings (key, value) values ($1, to_jsonb($2::text)) returning key`,
    params: [`pipelined-${value}`, value],
  });
  const count = { text: `select count(*)::int as n from settings where key like 'pipelined-%'`, params: [] };
  const storedKeys = async (handle: Parameters<typeof rawExecutor>[0]) =>
    (await rawExecutor(handle).query<{ key: string }>(`select key from settings where key like 'pipelined-%' order by key`, [])).map((r) => r.key);

  it('runs the statements in order in one transaction, each seeing the work of those before', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const results = await pipelinedTransaction(handle, [insert('a'), count, insert('b'), count]);
      expect(results).toEqual([[{ key: 'pipelined-a' }], [{ n: 1 }], [{ key: 'pipelined-b' }], [{ n: 2 }]]);
      expect(await storedKeys(handle)).toEqual(['pipelined-a', 'pipelined-b']);
    } finally {
      await drop();
    }
  });

  it('rolls everything back when a statement raises (the session race), whichever it is', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const raceLost = { text: 'select wekf_session_race_lost($1::int)', params: [2] };
      const error: unknown = await pipelinedTransaction(handle, [insert('lost'), raceLost]).catch((e: unknown) => e);
      expect(isSessionRaceLost(error)).toBe(true);
      expect(await storedKeys(handle)).toEqual([]);

      // A failing first statement: the ones after it do not run, and the connection stays usable.
      await expect(pipelinedTransaction(handle, [{ text: 'select 1 / $1::int', params: [0] }, insert('never')])).rejects.toThrow(/division by zero/);
      expect(await storedKeys(handle)).toEqual([]);
      await pipelinedTransaction(handle, [insert('after')]);
      expect(await storedKeys(handle)).toEqual(['pipelined-after']);
    } finally {
      await drop();
    }
  });
});
