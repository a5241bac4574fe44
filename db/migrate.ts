// Applies the committed migrations (db/migrations, from drizzle-kit) to an open database.
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { ADVISORY_LOCK, withAdvisoryLock } from './advisory-locks';
import { DatabaseError, type DatabaseHandle, type Db } from './handle';

/**
 * db/migrations: beside this module in source, two levels above it once bundled into the production
 * server (.next/wekf/server.mjs, scripts/bundle-server.mjs).
 */
function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '..', '..', 'db', 'migrations')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'meta', '_journal.json')));
  if (found === undefined) throw new DatabaseError(`cannot find the database migrations (looked in ${candidates.join(' and ')})`);
  return found;
}

/** Apply pending migrations; on Postgres one instance at a time (advisory lock), the others wait. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: migrationsFolder() });
    return;
  }
  await withAdvisoryLock(handle, ADVISORY_LOCK.migrations, () => migratePostgres(handle.db as never, { migrationsFolder: migrationsFolder() }));
}

export async function tableNames(db: Db): Promise<string[]> {
  const rows = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string }[] }).rows).map((r) => r.table_name);
}
