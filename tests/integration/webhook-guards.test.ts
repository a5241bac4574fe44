import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { listInboundFor } from '@/db/queries/inbound-messages';
import { listOutboxFor } from '@/db/queries/outbox';
import { rawExecutor } from '@/db/queries/raw';
import { memoryReplayStore, saveMemoryReplayStore, storedBodyHash } from '@/db/queries/replay-store';
import { openPglite } from '@/db/engines/pglite';
import { migrateDatabase } from '@/db/migrate';
import { createWechatRuntime } from '@/lib/kf/runtime';
import { sweepReplayStore } from '@/lib/kf/sweeps';
import { WechatCrypto } from '@/lib/wechat/crypto';
import { msgSignature, plainSignature } from '@/lib/wechat/signature';
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

  it('answers a safe-mode retry that WeChat encrypted afresh as the first delivery, and still refuses another message', async () => {
    const c = h.sim.credentials;
    const post = (query: URLSearchParams, body: string) => fetch(`${h.webhookUrl}?${query}`, { method: 'POST', body });
    const effects = async (openid: string) => ({
      inbound: (await listInboundFor(h.database.db, { openid })).length,
      sessions: (await listSessionsByOpenid(h.database.db, { openid })).length,
    });
    const crypto = new WechatCrypto({ token: c.token, encodingAESKey: c.encodingAESKey, appId: c.appId });
    const query = h.signedQuery();
    // Each encryption draws new random bytes, so the same message gives another ciphertext.
    const sealed = (inner: string) => {
      const encrypt = crypto.encrypt(inner);
      const sealedQuery = new URLSearchParams(query);
      sealedQuery.set('encrypt_type', 'aes');
      sealedQuery.set('msg_signature', msgSignature(c.token, query.get('timestamp')!, query.get('nonce')!, encrypt));
      return { query: sealedQuery, body: buildXml({ ToUserName: c.originalId, Encrypt: encrypt }) };
    };
    const message = buildXml({ ToUserName: c.originalId, ...textFields('o_sealed', '客服') });
    const first = sealed(message);
    const answered = await post(first.query, first.body);
    expect(answered.status).toBe(200);
    const reply = crypto.decryptReply(await answered.text());
    const retry = sealed(message);
    expect(retry.body).not.toBe(first.body);
    const again = await post(retry.query, retry.body);
    expect(again.status).toBe(200);
    expect(crypto.decryptReply(await again.text())).toBe(reply);
    // Acted on once (no agent is set up here, so the keyword opens no session).
    expect(await effects('o_sealed')).toEqual({ inbound: 1, sessions: 0 });
    // Another message under the same query (only the token's holder could seal it) is still refused.
    const other = sealed(buildXml({ ToUserName: c.originalId, ...textFields('o_sealed_other', '客服') }));
    expect((await post(other.query, other.body)).status).toBe(403);
    expect(await effects('o_sealed_other')).toEqual({ inbound: 0, sessions: 0 });
  });
});

// The replay store, over real HTTP on both engines: WeChat's plain signature does not cover the
// body, so a signed query seen before is accepted again only with the same body (WeChat retrying).
describe.each(testDatabases)('replay store on $kind', (testDb) => {
  let h: KfHarness;
  beforeAll(async () => {
    h = await startKfHarness(testDb);
    await h.addAgent('replay', { openid: 'o_replay_agent' });
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (query: URLSearchParams, body: string) => fetch(`${h.webhookUrl}?${query}`, { method: 'POST', body });
  const text = (openid: string, content: string, msgId = nextMsgId()) => buildXml({ ToUserName: 'gh', ...textFields(openid, content), MsgId: msgId });
  const subscribe = (openid: string) => buildXml({ ToUserName: 'gh', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe' });
  const effects = async (openid: string) => ({
    inbound: (await listInboundFor(h.database.db, { openid })).length,
    sessions: (await listSessionsByOpenid(h.database.db, { openid })).length,
    outbox: (await listOutboxFor(h.database.db, { openid })).length,
  });
  // Where the store keeps it: the table on Postgres, this process's memory on PGlite.
  const storedQueries = async (query: URLSearchParams) => ((await storedBodyHash(h.database, query.get('signature')!)) === undefined ? 0 : 1);

  const kinds: [string, (openid: string) => string][] = [
    ['an ordinary message', (openid) => text(openid, '你好')],
    ['the keyword', (openid) => text(openid, '客服')],
    ['an event', subscribe],
  ];

  it.each(kinds)('answers a retry of %s (same query, same body) as the first delivery, with one effect', async (kind, build) => {
    const openid = `o_retry_${kind.replaceAll(' ', '_')}`;
    const query = h.signedQuery();
    const body = build(openid);
    const first = await post(query, body);
    expect(first.status).toBe(200);
    const firstReply = await first.text();
    const after = await effects(openid);
    expect(after.inbound).toBe(1);
    for (let i = 0; i < 3; i++) {
      const retry = await post(query, body);
      expect(retry.status).toBe(200);
      expect(await retry.text()).toBe(firstReply);
    }
    expect(await effects(openid)).toEqual(after);
    expect(await storedQueries(query)).toBe(1);
  });

  it.each(kinds)('refuses %s replayed under a query seen with another body, with no effect', async (kind, build) => {
    const tag = kind.replaceAll(' ', '_');
    const query = h.signedQuery();
    expect((await post(query, build(`o_orig_${tag}`))).status).toBe(200);
    const original = await effects(`o_orig_${tag}`);

    const forged = await post(query, build(`o_forged_${tag}`));
    expect(forged.status).toBe(403);
    expect(await effects(`o_forged_${tag}`)).toEqual({ inbound: 0, sessions: 0, outbox: 0 });
    expect(await effects(`o_orig_${tag}`)).toEqual(original);
  });

  it('refuses a replay that keeps the message id and follower but changes the text', async () => {
    const msgId = nextMsgId();
    const query = h.signedQuery();
    expect((await post(query, text('o_same_id', '你好', msgId))).status).toBe(200);
    const forged = await post(query, text('o_same_id', '客服', msgId));
    expect(forged.status).toBe(403);
    expect(await effects('o_same_id')).toEqual({ inbound: 1, sessions: 0, outbox: 0 });
  });

  it('admits one of several different bodies sent at once under one query, and refuses the rest', async () => {
    const query = h.signedQuery();
    const openids = Array.from({ length: 6 }, (_, i) => `o_race_${i}`);
    const answers = await Promise.all(openids.map((openid, i) => post(query, text(openid, i % 2 ? '客服' : '你好'))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403, 403, 403, 403, 403]);
    const stored = await Promise.all(openids.map(async (openid) => (await effects(openid)).inbound));
    expect(stored.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('forgets a query once its timestamp is outside the window, and keeps the ones inside it', async () => {
    const old = Math.floor(Date.now() / 1000) - 200;
    const oldQuery = h.signedQuery({ timestamp: old });
    const freshQuery = h.signedQuery();
    expect((await post(oldQuery, text('o_sweep_old', '你好'))).status).toBe(200);
    expect((await post(freshQuery, text('o_sweep_new', '你好'))).status).toBe(200);
    expect(await sweepReplayStore(h.database, { maxSkewSeconds: 300 })).toBe(0);
    expect(await storedQueries(oldQuery)).toBe(1);
    // 101 s later the old timestamp is 301 s old: the query check refuses it, so the store may forget it.
    const deleted = await sweepReplayStore(h.database, { maxSkewSeconds: 300, nowMs: (old + 301) * 1000 });
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await storedQueries(oldQuery)).toBe(0);
    expect(await storedQueries(freshQuery)).toBe(1);
  });
});

// On PGlite the store is in memory (db/queries/replay-store.ts): a clean stop writes it to the table
// and the next start reads it back, so a query captured before a restart is still refused after it.
describe('replay store on PGlite across a restart', () => {
  it('refuses after a restart a query seen before it with another body, and admits WeChat retrying it, whatever else the table holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-replay-'));
    const token = 'replaytoken';
    const account = { appId: 'wxreplay', appSecret: 'secret', token, apiBase: 'http://127.0.0.1:9' };
    const signed = () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      return new URLSearchParams({ signature: plainSignature(token, timestamp, nonce), timestamp, nonce });
    };
    const body = (openid: string, content: string) => Buffer.from(buildXml({ ToUserName: 'gh', ...textFields(openid, content), MsgId: nextMsgId() }));
    const start = async () => {
      const handle = await openPglite(dir);
      await migrateDatabase(handle);
      return { handle, runtime: createWechatRuntime({ account, database: () => handle, startBackground: false }) };
    };
    try {
      const before = await start();
      const query = signed();
      const original = body('o_before_restart', '你好');
      expect((await before.runtime.webhook.handle({ method: 'POST', query, body: original })).status).toBe(200);
      // Kept in memory while running: nothing of it is written per push.
      expect((await rawExecutor(before.handle).query(`select 1 from webhook_nonces`, [])).length).toBe(0);
      await before.runtime.stop();
      // A row the store cannot hold (a body hash that is not a SHA-256) must not stop it loading.
      await rawExecutor(before.handle).query(
        `insert into webhook_nonces (signature, timestamp, nonce, body_hash) values (decode($1, 'hex'), $2, '', 'not a hash')`,
        ['b'.repeat(40), Math.floor(Date.now() / 1000)],
      );
      await before.handle.close();

      const after = await start();
      try {
        const forged = await after.runtime.webhook.handle({ method: 'POST', query, body: body('o_forged_after_restart', '客服') });
        expect(forged.status).toBe(403);
        expect(await listInboundFor(after.handle.db, { openid: 'o_forged_after_restart' })).toEqual([]);
        const retry = await after.runtime.webhook.handle({ method: 'POST', query, body: original });
        expect(retry.status).toBe(200);
        expect(await listInboundFor(after.handle.db, { openid: 'o_before_restart' })).toHaveLength(1);
      } finally {
        await after.runtime.stop();
        await after.handle.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('replay store on PGlite, saved at a stop', () => {
  it('writes every remembered query, in chunks, however many there are', async () => {
    const handle = await openPglite(undefined);
    try {
      await migrateDatabase(handle);
      const store = await memoryReplayStore(handle)!;
      const now = Math.floor(Date.now() / 1000);
      const sha = (algorithm: string, text: string, encoding: 'hex' | 'base64url') => createHash(algorithm).update(text).digest(encoding);
      // More than two of the save's chunks of 5,000.
      for (let i = 0; i < 12_345; i++) store.admit({ timestamp: String(now), nonce: String(i), signature: sha('sha1', `q${i}`, 'hex'), bodyHash: sha('sha256', `b${i}`, 'base64url') });
      expect(await saveMemoryReplayStore(handle)).toBe(12_345);
      const [row] = await rawExecutor(handle).query<{ n: number; hashes: number }>(
        `select count(*)::int as n, count(distinct body_hash)::int as hashes from webhook_nonces`,
        [],
      );
      expect(row).toEqual({ n: 12_345, hashes: 12_345 });
      const [one] = await rawExecutor(handle).query<{ body_hash: string }>(`select body_hash from webhook_nonces where signature = decode($1, 'hex')`, [sha('sha1', 'q777', 'hex')]);
      expect(one?.body_hash).toBe(sha('sha256', 'b777', 'base64url'));
    } finally {
      await handle.close();
    }
  });
});
