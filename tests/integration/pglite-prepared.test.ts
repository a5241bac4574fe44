import { describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { MAX_PREPARED, PglitePreparedStatements, REPREPARE_AFTER_MS } from '@/db/engines/pglite-prepared';
import { testDatabases } from './databases';

// The hot statements on PGlite run as named prepared statements (db/engines/pglite-prepared.ts).
// What must hold: results and errors as pg.query() gives them, one preparation per text, never a
// statement slipped into someone else's transaction, and a bounded set of preparations.
const pglite = testDatabases.find((d) => d.kind === 'pglite')!;

async function withPglite(test: (pg: PGlite) => Promise<void>): Promise<void> {
  const { handle, drop } = await pglite.open();
  try {
    await test(handle.pglite as PGlite);
  } finally {
    await drop();
  }
}

const preparedNames = async (pg: PGlite) =>
  (await pg.query<{ name: string }>(`select name from pg_prepared_statements order by name`)).rows.map((r) => r.name);

describe('prepared statements on PGlite', () => {
  it('gives the rows pg.query() gives, for every parameter type the hot statements send, preparing each text once', () =>
    withPglite(async (pg) => {
      const statements = new PglitePreparedStatements(pg);
      const text = `select $1::text[] as texts, $2::int[] as ints, $3::timestamptz as at, $4::int as n, $5::text as missing, $6::jsonb as doc`;
      const params = [['你好', 'a"b\\c', null], [1, null, 3], '2026-12-07T05:00:00.000Z', 5, null, '{"k":[1,2]}'];
      const expected = (await pg.query(text, params)).rows;
      expect(await statements.query(text, params)).toEqual(expected);
      expect(await statements.query(text, [['x'], [], '2026-12-07T06:00:00.000Z', 6, 'here', null])).toEqual([
        { texts: ['x'], ints: [], at: new Date('2026-12-07T06:00:00.000Z'), n: 6, missing: 'here', doc: null },
      ]);
      expect(statements.size).toBe(1);
      expect(await preparedNames(pg)).toHaveLength(1);
    }));

  it('throws the database error with its SQLSTATE, and the connection goes on', () =>
    withPglite(async (pg) => {
      const statements = new PglitePreparedStatements(pg);
      const error = await statements.query(`select 1 / $1::int as q`, [0]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '22012', message: expect.stringMatching(/division by zero/) });
      expect(await statements.query(`select 1 / $1::int as q`, [1])).toEqual([{ q: 1 }]);
      // A text that does not parse is refused without being kept.
      await expect(statements.query(`select from where`, [])).rejects.toMatchObject({ code: '42601' });
      expect(statements.size).toBe(1);
    }));

  it('waits for a transaction in progress instead of running inside it', () =>
    withPglite(async (pg) => {
      const statements = new PglitePreparedStatements(pg);
      const count = `select count(*)::int as n from settings where key = $1`;
      let seenDuring: Promise<unknown[]> | undefined;
      await pg
        .transaction(async (tx) => {
          await tx.query(`insert into settings (key, value) values ('prepared-test', '1'::jsonb)`);
          seenDuring = statements.query(count, ['prepared-test']);
          // Give the query every chance to slip in before the rollback.
          await new Promise((resolve) => setTimeout(resolve, 50));
          await tx.rollback();
        })
        .catch(() => {});
      expect(await seenDuring).toEqual([{ n: 0 }]);
    }));

  it('runs inside the transaction its caller holds, and a rollback takes its writes', () =>
    withPglite(async (pg) => {
      const statements = new PglitePreparedStatements(pg);
      const insert = `insert into settings (key, value) values ($1, to_jsonb($2::text)) returning key`;
      await pg
        .transaction(async () => {
          expect(await statements.queryInTransaction(insert, ['prepared-a', 'a'])).toEqual([{ key: 'prepared-a' }]);
          throw new Error('roll back');
        })
        .catch(() => {});
      expect(await statements.query(`select count(*)::int as n from settings where key = $1`, ['prepared-a'])).toEqual([{ n: 0 }]);
    }));

  it('parses a text again once its preparation is older than REPREPARE_AFTER_MS, closing the old one', () =>
    withPglite(async (pg) => {
      let now = 1_000_000;
      const statements = new PglitePreparedStatements(pg, { now: () => now });
      const text = `select $1::int + 1 as n`;
      await statements.query(text, [1]);
      const [first] = await preparedNames(pg);
      now += REPREPARE_AFTER_MS - 1;
      await statements.query(text, [1]);
      expect(await preparedNames(pg)).toEqual([first]);
      now += 1;
      expect(await statements.query(text, [2])).toEqual([{ n: 3 }]);
      const names = await preparedNames(pg);
      expect(names).toHaveLength(1);
      expect(names[0]).not.toBe(first);
    }));

  it(`keeps at most ${MAX_PREPARED} texts prepared, closing the least recently used`, () =>
    withPglite(async (pg) => {
      const statements = new PglitePreparedStatements(pg);
      const textOf = (i: number) => `select $1::int + ${i} as n`;
      await statements.query(textOf(0), [0]);
      for (let i = 1; i <= MAX_PREPARED; i++) await statements.query(textOf(i), [0]);
      // Text 0 was the least recently used: closed to make room for the last.
      expect(statements.size).toBe(MAX_PREPARED);
      expect(await preparedNames(pg)).toHaveLength(MAX_PREPARED);
      expect(await preparedNames(pg)).not.toContain('wekf_1');
      expect(await statements.query(textOf(0), [1])).toEqual([{ n: 1 }]);
      expect(statements.size).toBe(MAX_PREPARED);
    }));
});
