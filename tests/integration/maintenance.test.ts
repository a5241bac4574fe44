import { describe, expect, it } from 'vitest';
import { recordInteraction } from '@/db/queries/followers';
import { vacuumEmbedded } from '@/db/queries/maintenance';
import { rawExecutor } from '@/db/queries/raw';
import { testDatabases } from './databases';

describe.each(testDatabases)('embedded maintenance on $kind', (testDb) => {
  it('vacuums and analyzes the hot tables on PGlite (no autovacuum there), and leaves Postgres to its autovacuum', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const now = new Date();
      for (let i = 0; i < 20; i++) await recordInteraction(handle.db, { openid: 'o_vacuum', trigger: 'message', now });
      await vacuumEmbedded(handle);
      const [stats] = await rawExecutor(handle).query<{ dead: number; vacuumed: boolean; analyzed: boolean }>(
        `select n_dead_tup::int as dead, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed
           from pg_stat_user_tables where relname = 'followers'`,
        [],
      );
      if (testDb.kind === 'pglite') expect(stats).toEqual({ dead: 0, vacuumed: true, analyzed: true });
      else expect(stats?.vacuumed).toBe(false);
    } finally {
      await drop();
    }
  });
});

// PGlite only: a Postgres server's sampling is its own configuration's business.
describe.each(testDatabases.filter((d) => d.kind === 'pglite'))('embedded statistics on $kind', (testDb) => {
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
