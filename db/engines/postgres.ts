// A Postgres server through postgres.js: the engine for every deployment that shares a database.
import 'server-only';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DatabaseError, reasonOf, withTimeout, type DatabaseHandle, type Db } from '../handle';
import * as schema from '../schema';

function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<DatabaseHandle> {
  const description = describePostgresUrl(url);
  const client = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
  });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  const handle: DatabaseHandle = {
    db,
    kind: 'postgres',
    description,
    postgres: client,
    ping: (timeoutMs = 1000) => withTimeout(client`select 1`.then(() => undefined), timeoutMs),
    close: () => client.end({ timeout: 5 }),
  };
  try {
    await handle.ping(6000);
  } catch (error) {
    await client.end({ timeout: 0 }).catch(() => {});
    throw new DatabaseError(`cannot reach Postgres at ${description}: ${reasonOf(error)}`, { cause: error });
  }
  return handle;
}
