import { describe, expect, it } from 'vitest';
import { isSessionRaceLost } from '@/db/queries/keyword-messages';
import { rawExecutor, twoStepTransaction } from '@/db/queries/raw';
import { testDatabases } from './databases';

// twoStepTransaction sends BEGIN with the first statement and COMMIT with the second. What must hold:
// the first statement runs inside the transaction, the second sees its rows, and a second statement
// that raises takes the first one's writes with it.
describe.each(testDatabases)('twoStepTransaction on $kind', (testDb) => {
  const insert = (value: string) => ({
    text: `insert into settings (key, value) values ($1, to_jsonb($2::text)) returning key`,
    params: [`two-step-${value}`, value],
  });
  const storedKeys = async (handle: Parameters<typeof rawExecutor>[0]) =>
    (await rawExecutor(handle).query<{ key: string }>(`select key from settings where key like 'two-step-%' order by key`, [])).map((r) => r.key);

  it('commits both statements, the second built from the first one’s rows', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const result = await twoStepTransaction<{ key: string }, { key: string }>(handle, insert('a'), (rows) => insert(`${rows[0]!.key}-b`));
      expect(result.first).toEqual([{ key: 'two-step-a' }]);
      expect(result.second).toEqual([{ key: 'two-step-two-step-a-b' }]);
      expect(await storedKeys(handle)).toEqual(['two-step-a', 'two-step-two-step-a-b']);
      // null: commit after the first statement alone.
      await twoStepTransaction(handle, insert('c'), () => null);
      expect(await storedKeys(handle)).toContain('two-step-c');
    } finally {
      await drop();
    }
  });

  it('rolls the first statement back when the second raises (the session race), and when the first fails', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const raceLost = twoStepTransaction(handle, insert('lost'), () => ({ text: 'select wekf_session_race_lost($1::int)', params: [2] }));
      const error: unknown = await raceLost.catch((e: unknown) => e);
      expect(isSessionRaceLost(error)).toBe(true);
      expect(await storedKeys(handle)).toEqual([]);

      // A failing first statement: the transaction is abandoned and the connection stays usable.
      await expect(twoStepTransaction(handle, { text: 'select 1 / $1::int', params: [0] }, () => insert('never'))).rejects.toThrow(/division by zero/);
      // A bug between the statements (the callback throws) rolls back too.
      await expect(
        twoStepTransaction(handle, insert('then-threw'), () => {
          throw new Error('planning failed');
        }),
      ).rejects.toThrow('planning failed');
      expect(await storedKeys(handle)).toEqual([]);
      await twoStepTransaction(handle, insert('after'), () => null);
      expect(await storedKeys(handle)).toEqual(['two-step-after']);
    } finally {
      await drop();
    }
  });
});
