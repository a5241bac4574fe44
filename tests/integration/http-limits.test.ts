import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { createHttpServer, type ConnectionLimits } from '@/lib/server/http-server';

// The listener's connection limits (lib/server/http-server.ts), over real sockets: a slow request is
// cut off, a long response is not, and connections past the cap are refused.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A listener that answers `ok`, and on /live streams an event every 100 ms for `streamMs`. */
async function start(limits: ConnectionLimits, streamMs = 0): Promise<number> {
  const server = createHttpServer((req, res) => {
    if (req.url !== '/live') {
      res.end('ok');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let n = 0;
    const timer = setInterval(() => {
      res.write(`data: ${n++}\n\n`);
      if (n * 100 >= streamMs) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
  }, limits);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A socket that sends a request line and then one header byte every `everyMs`; resolves with what the server said, when it closed. */
function trickle(port: number, everyMs: number): { connected: Promise<void>; answer: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const answer = new Promise<string>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received || 'closed');
    });
    socket.once('connect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      timer = setInterval(() => socket.write('X'), everyMs);
    });
  });
  return { connected, answer };
}

function get(port: number, path = '/', agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('connection limits', () => {
  it('answers 408 and closes a connection whose headers are still trickling in after the request timeout', async () => {
    const port = await start({ requestTimeoutMs: 1000, maxConnections: 100 });
    const slow = trickle(port, 100);
    expect(await slow.answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('lets a response stream for longer than the request timeout (server-sent events)', async () => {
    const port = await start({ requestTimeoutMs: 1000, maxConnections: 100 }, 3000);
    const { status, body } = await get(port, '/live');
    expect(status).toBe(200);
    // 30 events over 3 s, three times the request timeout: all arrived and the stream ended normally.
    expect(body.match(/^data: \d+$/gm)).toHaveLength(30);
    expect(body).toContain('data: 29\n\n');
  });

  it('refuses connections past the cap and accepts again once some close', async () => {
    const port = await start({ requestTimeoutMs: 10_000, maxConnections: 20 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    // Twenty kept-alive connections, each idle after one answered request: they count against the cap.
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(port, '/', agent)));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      let received = '';
      socket.on('data', (d) => (received += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => resolve(received || 'closed'));
    });
    expect(refused).toBe('closed');

    agent.destroy();
    await sleep(200);
    expect(await get(port)).toEqual({ status: 200, body: 'ok' });
  });

  it('with the default connection cap, survives 3,000 slow connections: it still answers, and cuts them off at the timeout', { timeout: 60_000 }, async () => {
    // The default cap; a request timeout shorter than the default (its value is env.test.ts's), so
    // the test waits 2 s for the cut-off rather than the default's 10.
    const limits = { requestTimeoutMs: 2000, maxConnections: parseEnv({}).HTTP_MAX_CONNECTIONS };
    const port = await start(limits);
    const slow = Array.from({ length: 3000 }, () => trickle(port, 1000));
    await Promise.all(slow.map((s) => s.connected));
    // All 3,000 hold a connection (the cap is above them); an ordinary client is still served.
    expect(await get(port)).toEqual({ status: 200, body: 'ok' });
    const answers = await Promise.all(slow.map((s) => s.answer));
    expect(answers.filter((a) => /^HTTP\/1\.1 408/.test(a))).toHaveLength(3000);
  });
});
