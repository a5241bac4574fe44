import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DatabaseError, type DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/engines/pglite';
import { openPostgres } from '@/db/engines/postgres';
import { migrateDatabase, tableNames } from '@/db/migrate';
import { testDatabases } from './databases';

describe.each(testDatabases)('database on $kind', (testDb) => {
  it('migrations create every table in the design', async () => {
    const { handle, drop } = await testDb.open();
    try {
      const tables = await tableNames(handle.db);
      expect(tables).toEqual(
        expect.arrayContaining([
          'agents',
          'audit_log',
          'customer_sessions',
          'inbound_messages',
          'login_attempts',
          'outbox',
          'session_messages',
          'settings',
          'users',
          'wechat_tokens',
        ]),
      );
      // Running them again changes nothing and does not fail.
      await migrateDatabase(handle);
      expect(await tableNames(handle.db)).toEqual(tables);
    } finally {
      await drop();
    }
  });

  it('allows one open session per follower', async () => {
    const { handle, drop } = await testDb.open();
    try {
      await handle.db.execute(sql`insert into customer_sessions (openid, status) values ('o1', 'waiting')`);
      await expect(
        handle.db.execute(sql`insert into customer_sessions (openid, status) values ('o1', 'active')`),
      ).rejects.toThrow();
      await handle.db.execute(sql`insert into customer_sessions (openid, status) values ('o1', 'closed')`);
    } finally {
      await drop();
    }
  });
});

describe('embedded database folder', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('keeps data across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-pglite-'));
    dirs.push(dir);
    const first = await openPglite(dir);
    await migrateDatabase(first);
    await first.db.execute(sql`insert into settings (key, value) values ('k', '"v"'::jsonb)`);
    await first.close();
    const second = await openPglite(dir);
    const rows = await second.db.execute<{ key: string }>(sql`select key from settings`);
    expect((rows as unknown as { rows: { key: string }[] }).rows.map((r) => r.key)).toEqual(['k']);
    await second.close();
  });

  it('refuses a folder locked by another live process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-pglite-'));
    dirs.push(dir);
    // pid 1 is always alive and never us.
    fs.writeFileSync(path.join(dir, 'wekf.lock'), '1');
    await expect(openPglite(dir)).rejects.toThrow(/in use by another wekf process \(pid 1\)/);
    expect(fs.readFileSync(path.join(dir, 'wekf.lock'), 'utf8')).toBe('1');
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-pglite-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'wekf.lock'), '999999');
    const handle = await openPglite(dir);
    expect(fs.readFileSync(path.join(dir, 'wekf.lock'), 'utf8')).toBe(String(process.pid));
    await handle.close();
    expect(fs.existsSync(path.join(dir, 'wekf.lock'))).toBe(false);
  });

  it('names the folder when it cannot be written', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-')), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    dirs.push(path.dirname(file));
    await expect(openPglite(path.join(file, 'pglite'))).rejects.toThrow(/cannot use the data folder .*not-a-dir/);
  });
});

describe('unreachable Postgres', () => {
  it('fails with one line that names the server and hides the password', async () => {
    const error = await openPostgres('postgres://wekf:hunter2@127.0.0.1:1/wekf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^cannot reach Postgres at postgres:\/\/127\.0\.0\.1:1\/wekf: /);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe.each(testDatabases.filter((d) => d.kind === 'postgres'))('$kind over its Unix socket', (testDb) => {
  it('connects with the URL libpq users write for a local server (empty host, socket folder in ?host=)', async () => {
    const { handle: overTcp, url, drop } = await testDb.open();
    let overSocket: DatabaseHandle | undefined;
    try {
      // Where this server listens for local connections, as it says itself.
      const [settings] = await overTcp.postgres!<{ unix_socket_directories: string }[]>`show unix_socket_directories`;
      const folder = settings!.unix_socket_directories.split(',')[0]!.trim();
      const tcp = new URL(url!);
      overSocket = await openPostgres(`postgres://${tcp.username}@${tcp.pathname}?host=${folder}`, { max: 1 });
      expect(overSocket.description).toBe(`postgres://${folder}/.s.PGSQL.${tcp.port || '5432'}${tcp.pathname}`);
      // A Unix-socket session has no server address; a TCP one does.
      const [socketSide] = await overSocket.postgres!`select inet_server_addr() as addr, current_database() as db`;
      const [tcpSide] = await overTcp.postgres!`select inet_server_addr() as addr`;
      expect(socketSide).toEqual({ addr: null, db: tcp.pathname.slice(1) });
      expect(tcpSide!.addr).not.toBeNull();
    } finally {
      await overSocket?.close();
      await drop();
    }
  });
});
