// A Postgres server through postgres.js: the engine for every deployment that shares a database.
import 'server-only';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DatabaseError, reasonOf, withTimeout, type DatabaseHandle, type Db } from '../handle';
import * as schema from '../schema';

function describePostgresUrl(url: string): string {
  const u = parsePostgresUrl(url);
  if (!u) return 'postgres (unparseable URL)';
  const socket = socketPathOf(u);
  return socket ? `postgres://${socket}${u.pathname}` : `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** The Unix socket a URL names in libpq's `?host=/folder`, or undefined for a TCP host. */
function socketPathOf(u: URL): string | undefined {
  const socketDir = u.searchParams.get('host');
  return socketDir?.startsWith('/') ? `${socketDir.replace(/\/+$/, '')}/.s.PGSQL.${u.port || '5432'}` : undefined;
}

/**
 * A Postgres URL as libpq reads it. libpq allows an empty host (`postgres://user@/db`, the usual way
 * to name a database behind a Unix socket given in `?host=`), which a WHATWG URL refuses once there
 * is a user: that host is read as localhost, as libpq does when no socket is given.
 */
function parsePostgresUrl(url: string): URL | undefined {
  for (const candidate of [url, url.replace(/^(postgres(?:ql)?:\/\/[^@/?#]*@)(?=[/?#]|$)/, '$1localhost')]) {
    try {
      return new URL(candidate);
    } catch {
      // the next reading, or none
    }
  }
  return undefined;
}

/**
 * A URL as libpq writes a Unix socket (`postgres://user@/db?host=/var/run/postgresql`) becomes
 * postgres.js's `path` option: over a local socket each round trip skips the TCP stack, which took a
 * fifth of the server's CPU samples on the webhook bench (issue 19). Any other URL passes unchanged.
 */
export function postgresConnection(url: string): { url: string; path?: string } {
  const u = parsePostgresUrl(url);
  const path = u && socketPathOf(u);
  if (!u || !path) return { url };
  u.searchParams.delete('host');
  return { url: u.toString(), path };
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<DatabaseHandle> {
  const description = describePostgresUrl(url);
  const connection = postgresConnection(url);
  const client = postgres(connection.url, {
    ...(connection.path ? { path: connection.path } : {}),
    max: opts.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
  });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  const handle: DatabaseHandle = {
    db,
    kind: 'postgres',
    runsApart: true,
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
