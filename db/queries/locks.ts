import type { DatabaseHandle } from '../client';

/**
 * Run fn while holding a Postgres session-level advisory lock, so one instance at a time does it.
 * The lock lives on one reserved connection (it must be released on the connection that took it).
 * PGlite has a single process by construction, so there fn simply runs.
 */
export async function withAdvisoryLock<T>(database: DatabaseHandle, key: bigint, fn: () => Promise<T>): Promise<T> {
  if (!database.postgres) return fn();
  const connection = await database.postgres.reserve();
  try {
    await connection`select pg_advisory_lock(${key.toString()})`;
    return await fn();
  } finally {
    await connection`select pg_advisory_unlock(${key.toString()})`.catch(() => {});
    connection.release();
  }
}
