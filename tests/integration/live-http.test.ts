// GET /api/live as server.ts serves it, on the raw Node response: who may open the stream is checked
// from the session cookie against the database on every connection.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { bumpSessionVersion, getUserById, listUsers } from '@/db/queries/users';
import { ensureFirstAdmin } from '@/lib/auth/bootstrap';
import { authSecret } from '@/lib/auth/secret';
import { newSessionClaims } from '@/lib/auth/session-token';
import { endLiveStreams } from '@/lib/live/sse';
import { LIVE_PATH, serveLive } from '@/lib/server/live-http';
import { testDatabases } from './databases';

const testDb = testDatabases[0]!;

describe('the live event stream over HTTP', () => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let server: http.Server;
  let base: string;
  let adminId: number;

  beforeAll(async () => {
    ({ handle: database, drop } = await testDb.open());
    await ensureFirstAdmin(database.db, { email: 'live@x.test', password: 'live-password-1' });
    adminId = (await listUsers(database.db))[0]!.id;
    server = http.createServer((req, res) => void serveLive(req, res, () => database));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${LIVE_PATH}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await drop();
  });

  /** A session cookie as next-auth issues it at sign-in. */
  async function cookie(): Promise<string> {
    const user = (await getUserById(database.db, { id: adminId }))!;
    const token = await encode({ token: newSessionClaims(user), secret: authSecret(), maxAge: 3600 });
    return `other=1; next-auth.session-token=${token}`;
  }

  /** The answer's status, type and first bytes; the connection is then dropped, as a closed tab does. */
  function open(headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; type: string; start: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(base, { method, headers, agent: false }, (response) => {
        let start = '';
        response.setEncoding('utf8');
        const done = () => {
          request.destroy();
          resolve({ status: response.statusCode!, type: String(response.headers['content-type']), start });
        };
        response.on('data', (chunk: string) => {
          start += chunk;
          if (response.statusCode !== 200 || start.includes('event: ready')) done();
        });
        response.on('end', done);
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('streams events to a signed-in member of staff', async () => {
    const answer = await open({ cookie: await cookie() });
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('text/event-stream');
    expect(answer.start).toMatch(/^retry: \d+\n\n/);
    expect(answer.start).toMatch(/id: [0-9a-f]+-\d+\nevent: ready\n/);
  });

  it('refuses a browser with no cookie, or one that is not ours, without opening a stream', async () => {
    for (const headers of [{}, { cookie: 'next-auth.session-token=forged' }] as Record<string, string>[]) {
      const answer = await open(headers);
      expect(answer.status).toBe(401);
      expect(answer.type).not.toContain('text/event-stream');
      expect(JSON.parse(answer.start)).toEqual({ error: 'unauthenticated' });
    }
  });

  it('refuses a cookie whose sign-in has ended (signed out elsewhere)', async () => {
    const before = await cookie();
    expect((await open({ cookie: before })).status).toBe(200);
    await bumpSessionVersion(database.db, { id: adminId });
    expect((await open({ cookie: before })).status).toBe(401);
    expect((await open({ cookie: await cookie() })).status).toBe(200);
  });

  it('ends every open stream at once when the server stops', async () => {
    const ended = new Promise<number>((resolve, reject) => {
      void cookie().then((value) => {
        const request = http.get(base, { headers: { cookie: value }, agent: false }, (response) => {
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => chunk.includes('event: ready') && endLiveStreams());
          const at = Date.now();
          response.on('end', () => resolve(Date.now() - at));
        });
        request.on('error', reject);
      }, reject);
    });
    expect(await ended).toBeLessThan(5_000);
  });

  it('answers anything but GET with 405', async () => {
    const answer = await open({ cookie: await cookie() }, 'POST');
    expect(answer.status).toBe(405);
  });
});
