import { describe, expect, it, vi } from 'vitest';
import { recordInteraction } from '@/db/queries/followers';
import { upkeepStatements, vacuumEmbedded, vacuumWarnings } from '@/db/queries/maintenance';
import { rawExecutor } from '@/db/queries/raw';
import type { DatabaseHandle } from '@/db/client';
import { startEmbeddedMaintenance } from '@/lib/kf/sweeps';
import { testDatabases } from './databases';

// The upkeep's log lines, as [level, fields, message].
const logged = vi.hoisted(() => [] as [string, Record<string, unknown>, string][]);
vi.mock('@/lib/log', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/log')>();
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void logged.push([level, fields, message]);
  const logger = { child: () => logger, fatal: at('fatal'), error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') };
  return { ...original, log: logger };
});

interface TableUpkeep {
  dead: number;
  vacuums: number;
  analyzes: number;
}

async function followersUpkeep(handle: DatabaseHandle): Promise<TableUpkeep | undefined> {
  const [stats] = await rawExecutor(handle).query<TableUpkeep>(
    `select n_dead_tup::int as dead, vacuum_count::int as vacuums, analyze_count::int as analyzes
       from pg_stat_user_tables where relname = 'followers'`,
    [],
  );
  return stats;
}

async function leaveDeadRows(handle: DatabaseHandle): Promise<void> {
  const now = new Date();
  for (let i = 0; i < 20; i++) await recordInteraction(handle.db, { openid: 'o_vacuum', trigger: 'message', now });
  // Postgres sends a connection's table counts to the statistics at most once a second: counts still
  // held back would land after the vacuum's and bring its dead rows back (seen on a busy machine).
  await rawExecutor(handle).query('select pg_stat_force_next_flush()', []);
}

describe.each(testDatabases)('embedded maintenance on $kind', (testDb) => {
  it('vacuums and analyzes the hot tables on PGlite (no autovacuum there), and leaves Postgres to its autovacuum', async () => {
    const { handle, drop } = await testDb.open();
    try {
      await leaveDeadRows(handle);
      const timings = await vacuumEmbedded(handle);
      const stats = await followersUpkeep(handle);
      if (testDb.kind === 'pglite') {
        expect(stats).toEqual({ dead: 0, vacuums: 1, analyzes: 1 });
        // The longest statement is the pause requests saw; it is one of the round's and within its total.
        expect(timings?.longest).toMatch(/^(vacuum|analyze) [a-z_]+$/);
        expect(timings!.longestMs).toBeGreaterThan(0);
        expect(timings!.longestMs).toBeLessThanOrEqual(timings!.totalMs);
      } else {
        expect(timings).toBeNull();
        expect(stats).toMatchObject({ vacuums: 0, analyzes: 0 });
      }
    } finally {
      await drop();
    }
  });
});

describe.each(testDatabases.filter((d) => d.kind === 'pglite'))('embedded upkeep rounds on $kind', (testDb) => {
  it('lets the event loop run between its statements, so requests are read and answered between vacuums', async () => {
    const { handle, drop } = await testDb.open();
    try {
      // A turn of the event loop's check phase, counted while the round runs: I/O is polled just before it.
      let turns = 0;
      let counting = true;
      const count = () => {
        if (!counting) return;
        turns++;
        setImmediate(count);
      };
      setImmediate(count);
      await vacuumEmbedded(handle, { analyze: false });
      counting = false;
      expect(turns).toBeGreaterThanOrEqual(upkeepStatements({ analyze: false }).length - 1);
    } finally {
      await drop();
    }
  });

  it('vacuums every round and analyzes only every analyzeEveryRounds-th, starting with the first', async () => {
    const { handle, drop } = await testDb.open();
    try {
      await leaveDeadRows(handle);
      logged.length = 0;
      const stop = startEmbeddedMaintenance(() => handle, { firstMs: 0, everyMs: 10, analyzeEveryRounds: 3 });
      try {
        await expect.poll(async () => (await followersUpkeep(handle))?.vacuums, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
      } finally {
        stop();
      }
      // Let a round in flight finish before counting: it was started before the stop.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stats = await followersUpkeep(handle);
      expect(stats!.dead).toBe(0);
      // Rounds 1, 4, 7, … analyze: one analyze for every three vacuums, rounded up.
      expect(stats!.analyzes).toBe(Math.ceil(stats!.vacuums / 3));
      // Each round at debug, and one line at info for every three, with the longest pause among them.
      const rounds = logged.filter(([level, fields]) => level === 'debug' && 'longestMs' in fields).map(([, fields]) => fields.longestMs as number);
      const summaries = logged.filter(([level]) => level === 'info').map(([, fields]) => fields);
      expect(rounds.length).toBe(stats!.vacuums);
      expect(summaries.length).toBe(Math.floor(rounds.length / 3));
      summaries.forEach((summary, i) => expect(summary).toMatchObject({ rounds: 3, longestPauseMs: Math.max(...rounds.slice(3 * i, 3 * i + 3)) }));
    } finally {
      await drop();
    }
  });

  it('samples 3,000 rows per table when analyzing on PGlite, so the pause in its one thread stays short', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const [row] = await rawExecutor(handle).query<{ target: string }>(`select current_setting('default_statistics_target') as target`, []);
      expect(row?.target).toBe('10');
    } finally {
      await drop();
    }
  });
});

describe.each(testDatabases)('vacuum warnings at start on $kind', (testDb) => {
  it('names what keeps Postgres from vacuuming the hot tables, and nothing on PGlite', async () => {
    const { handle, drop } = await testDb.open();
    try {
      if (testDb.kind === 'pglite') {
        expect(await vacuumWarnings(handle)).toEqual([]);
        return;
      }
      const raw = rawExecutor(handle);
      // The server-wide setting is the machine's: whatever it is, the warning follows it.
      const autovacuum = (await raw.query<{ autovacuum: string }>('show autovacuum', []))[0]!.autovacuum;
      const serverWide = autovacuum === 'off' ? [expect.stringMatching(/^autovacuum is off on this Postgres server/)] : [];
      expect(await vacuumWarnings(handle)).toEqual(serverWide);

      await raw.query(`alter table outbox set (autovacuum_enabled = off)`, []);
      await raw.query(`alter table followers set (autovacuum_enabled = false, fillfactor = 90)`, []);
      // Switched on explicitly: nothing to say about it.
      await raw.query(`alter table inbound_messages set (autovacuum_enabled = true)`, []);
      expect(await vacuumWarnings(handle)).toEqual([
        ...serverWide,
        'autovacuum is disabled on followers, outbox (autovacuum_enabled = false): those tables keep every dead row; reset it with ALTER TABLE … RESET (autovacuum_enabled)',
      ]);
    } finally {
      await drop();
    }
  });
});
