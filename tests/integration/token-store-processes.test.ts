// Two processes sharing one Postgres refresh the access_token once between them (advisory lock).
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDatabases } from './databases';

const run = promisify(execFile);
const onPostgres = testDatabases.filter((d) => d.kind === 'postgres');

describe.each(onPostgres)('token refresh across processes on $kind', (testDb) => {
  it('two instances starting together fetch one token and share it', async () => {
    const { url, drop } = await testDb.open();
    let fetches = 0;
    const server = http.createServer((_req, res) => {
      fetches += 1;
      // Slow enough that both processes are waiting on the lock at once.
      setTimeout(() => res.end(JSON.stringify({ accessToken: `token-${fetches}`, expiresIn: 7200 })), 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenServer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const child = path.resolve('tests/integration/fixtures/token-child.ts');
      const outputs = await Promise.all(
        [1, 2].map(() => run(process.execPath, ['--import', 'tsx', child, url!, tokenServer], { cwd: process.cwd() })),
      );
      expect(outputs.map((o) => o.stdout)).toEqual(['token-1', 'token-1']);
      expect(fetches).toBe(1);
    } finally {
      server.close();
      await drop();
    }
  }, 60_000);
});
