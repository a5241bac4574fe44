import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInboundFor } from '@/db/queries/inbound-messages';
import { WechatCrypto } from '@/lib/wechat/crypto';
import { msgSignature } from '@/lib/wechat/signature';
import { buildXml } from '@/lib/wechat/xml';
import { testDatabases } from './databases';
import { nextMsgId, startKfHarness, textFields, type KfHarness } from './kf-harness';

// What the webhook refuses before it acts, over real HTTP: stale or malformed timestamps, bodies too
// large or too slow, and unencrypted pushes to an account that has a key. PGlite only: none of this
// reaches the database, which is the point.
const testDb = testDatabases[0]!;

/** Writes a raw request and resolves with the first bytes of the answer, or 'closed'. */
function rawExchange(url: string, head: string, bodyParts: { data: string; delayMs: number }[]): Promise<{ answer: string; at: number; sentAll: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let sentAll = false;
    let answered = false;
    socket.on('error', (error) => (answered ? undefined : reject(error)));
    socket.once('data', (data) => {
      answered = true;
      resolve({ answer: data.toString('latin1'), at: Date.now() - started, sentAll });
      socket.destroy();
    });
    socket.on('close', () => {
      if (!answered) resolve({ answer: 'closed', at: Date.now() - started, sentAll });
    });
    socket.write(head);
    void (async () => {
      for (const part of bodyParts) {
        if (answered || socket.destroyed) return;
        await new Promise((r) => setTimeout(r, part.delayMs));
        if (answered || socket.destroyed) return;
        socket.write(part.data);
      }
      sentAll = true;
    })();
  });
}

describe('webhook guards', () => {
  let h: KfHarness;
  beforeAll(async () => {
    h = await startKfHarness(testDb, { bodyTimeoutMs: 500 });
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (query: URLSearchParams, body: string) => fetch(`${h.webhookUrl}?${query}`, { method: 'POST', body });
  const push = (openid: string) => buildXml({ ToUserName: 'gh', ...textFields(openid, '客服'), MsgId: nextMsgId() });
  const now = (): number => Math.floor(Date.now() / 1000);

  const timestamps: [string, () => number | string, number][] = [
    ['the epoch', () => 1, 403],
    ['an hour old', () => now() - 3600, 403],
    ['an hour ahead', () => now() + 3600, 403],
    ['just past the window', () => now() - 302, 403],
    ['not a number', () => 'abc', 400],
    ['a number with a sign', () => '-5', 400],
  ];
  it.each(timestamps)('refuses a signed push whose timestamp is %s, and acts on nothing', async (name, at, status) => {
    const openid = `o_stale_${name.replaceAll(' ', '_')}`;
    const timestamp = at();
    const response = await post(h.signedQuery({ timestamp }), push(openid));
    expect(response.status).toBe(status);
    expect(await listInboundFor(h.database.db, { openid })).toEqual([]);
    // WeChat's URL check is held to the same window.
    const get = await fetch(`${h.webhookUrl}?${h.signedQuery({ timestamp, extra: { echostr: 'e' } })}`);
    expect(get.status).toBe(status);
  });

  it('accepts a push signed a few minutes ago, inside the window', async () => {
    const response = await post(h.signedQuery({ timestamp: now() - 240 }), push('o_recent'));
    expect(response.status).toBe(200);
    expect(await listInboundFor(h.database.db, { openid: 'o_recent' })).toHaveLength(1);
  });

  it('refuses a body over 64 KiB with 413 from its Content-Length, and one that grows past it while streaming', async () => {
    const query = h.signedQuery({ timestamp: now() });
    expect((await post(query, 'x'.repeat(64 * 1024 + 1))).status).toBe(413);
    // No Content-Length: chunked, so only the stream can tell.
    const chunked = await rawExchange(
      h.webhookUrl,
      `POST /api/wechat?${query} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Array.from({ length: 20 }, () => ({ data: `2000\r\n${'x'.repeat(0x2000)}\r\n`, delayMs: 1 })),
    );
    expect(chunked.answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('answers an unsigned 1 MB upload before it has been sent, without reading it', async () => {
    const query = new URLSearchParams({ signature: 'f'.repeat(40), timestamp: String(now()), nonce: '1' });
    const megabyte = 1024 * 1024;
    const exchange = await rawExchange(
      h.webhookUrl,
      `POST /api/wechat?${query} HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${megabyte}\r\n\r\n`,
      // The body follows slowly, 16 KiB every 100 ms: all of it would take 6.4 s.
      Array.from({ length: megabyte / 16384 }, () => ({ data: 'x'.repeat(16384), delayMs: 100 })),
    );
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 403/);
    expect(exchange.sentAll).toBe(false);
    expect(exchange.at).toBeLessThan(3000);
  });

  it('cuts off a body trickled a byte at a time', async () => {
    const body = push('o_trickle');
    const query = h.signedQuery({ timestamp: now() });
    const exchange = await rawExchange(
      h.webhookUrl,
      `POST /api/wechat?${query} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      [...body].map((ch) => ({ data: ch, delayMs: 50 })),
    );
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(exchange.sentAll).toBe(false);
    expect(await listInboundFor(h.database.db, { openid: 'o_trickle' })).toEqual([]);
  });
});

describe('webhook guards with an EncodingAESKey', () => {
  let h: KfHarness;
  beforeAll(async () => {
    h = await startKfHarness(testDb, { mode: 'compat' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an unencrypted push when a key is configured', async () => {
    const query = h.signedQuery();
    const response = await fetch(`${h.webhookUrl}?${query}`, { method: 'POST', body: buildXml({ ToUserName: 'gh', ...textFields('o_plain', '客服') }) });
    expect(response.status).toBe(400);
    expect(await listInboundFor(h.database.db, { openid: 'o_plain' })).toEqual([]);
  });

  it('in compatible mode acts on the encrypted fields, never the plaintext copies beside them', async () => {
    const c = h.sim.credentials;
    const crypto = new WechatCrypto({ token: c.token, encodingAESKey: c.encodingAESKey, appId: c.appId });
    const inner = buildXml({ ToUserName: c.originalId, ...textFields('o_real', '你好') });
    const encrypt = crypto.encrypt(inner);
    const query = h.signedQuery();
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', msgSignature(c.token, query.get('timestamp')!, query.get('nonce')!, encrypt));
    // The plaintext beside the ciphertext names another follower and the keyword.
    const body = buildXml({ ToUserName: c.originalId, ...textFields('o_forged', '客服'), Encrypt: encrypt });
    const response = await fetch(`${h.webhookUrl}?${query}`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(await listInboundFor(h.database.db, { openid: 'o_real' })).toHaveLength(1);
    expect(await listInboundFor(h.database.db, { openid: 'o_forged' })).toEqual([]);
  });
});
