// A wekf webhook on a real HTTP listener, wired to the fake WeChat and a fresh database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '@/db/client';
import { upsertAgent } from '@/db/queries/agents';
import { createWechatRuntime, type WechatRuntime } from '@/lib/kf/runtime';
import { accountOfSim } from '@/lib/sandbox';
import { defaultServiceHours } from '@/lib/service-hours';
import { forgetCachedSettings, saveKfSettings } from '@/lib/kf/settings';
import { serveWebhook } from '@/lib/server/webhook-http';
import { WechatCrypto } from '@/lib/wechat/crypto';
import { msgSignature, plainSignature } from '@/lib/wechat/signature';
import { buildXml } from '@/lib/wechat/xml';
import { startWechatSim, type FollowerResult, type PushMode, type PushRecord, type WechatSim } from '@/lib/wechat-sim';
import type { TestDatabase } from './databases';

export interface KfHarness {
  database: DatabaseHandle;
  /** On Postgres, the database's URL, for a second instance's own connections. */
  databaseUrl?: string;
  sim: WechatSim;
  runtime: WechatRuntime;
  webhookUrl: string;
  /** Whether the webhook should see the database (false simulates an outage). */
  setDatabaseReachable(reachable: boolean): void;
  addAgent(prefix: string, opts?: { openid?: string; nickname?: string }): Promise<string>;
  push(fields: Record<string, string | number>, opts?: { mode?: PushMode; signature?: string }): Promise<Response>;
  /** A query signed now (or at `timestamp`), as WeChat puts on a push: signature, timestamp, nonce. */
  signedQuery(opts?: { timestamp?: number | string; extra?: Record<string, string> }): URLSearchParams;
  /** A signed push handed straight to the webhook handler, without HTTP: pushes made in one tick share a batch. */
  handle(body: string | Buffer): Promise<{ status: number; body: string }>;
  /** A signed plain-mode push of this exact body (for bodies buildXml would clean up). */
  pushRaw(body: string): Promise<Response>;
  /** A second wekf instance on the same database (as behind a load balancer); pushes go to its webhook directly. */
  secondInstance(): { push(fields: Record<string, string | number>): Promise<{ status: number; body: string }>; stop(): Promise<void> };
  drainOutbox(): Promise<void>;
  close(): Promise<void>;
}

export async function startKfHarness(
  testDb: TestDatabase,
  opts: { mode?: PushMode; hours?: string; bodyTimeoutMs?: number; databaseDeadlineMs?: number } = {},
): Promise<KfHarness> {
  const { handle, url: databaseUrl, drop } = await testDb.open();
  const sim = await startWechatSim({ mode: opts.mode ?? 'plain', pushTimeoutMs: 5000 });
  const c = sim.credentials;
  let reachable = true;
  const database = () => {
    if (!reachable) throw new Error('database unreachable (simulated)');
    return handle;
  };
  // An instance of wekf against the fake, on the fake's clock; the background is driven by the tests.
  // The key is configured only for the encrypted modes, as on a real account: with a key, wekf
  // refuses unencrypted pushes.
  const account = { ...accountOfSim(sim), encodingAESKey: (opts.mode ?? 'plain') === 'plain' ? undefined : c.encodingAESKey };
  const newRuntime = () =>
    createWechatRuntime({ account, database, startBackground: false, now: () => new Date(sim.clock.now()), databaseDeadlineMs: opts.databaseDeadlineMs });
  const runtime = newRuntime();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/wechat') void serveWebhook(runtime.webhook, req, res, url.searchParams, { bodyTimeoutMs: opts.bodyTimeoutMs });
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/wechat`;
  sim.setWebhook(webhookUrl, opts.mode ?? 'plain');

  forgetCachedSettings();
  await saveKfSettings(handle.db, {
    settings: { hours: defaultServiceHours(opts.hours ?? '00:00-24:00', 'Asia/Shanghai'), waitMinutes: 30, keywords: ['客服', 'help'] },
    userId: null,
  });

  const crypto = new WechatCrypto({ token: c.token, encodingAESKey: c.encodingAESKey, appId: c.appId });

  const signedQuery: KfHarness['signedQuery'] = (query = {}) => {
    const timestamp = String(query.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    return new URLSearchParams({ signature: plainSignature(c.token, timestamp, nonce), timestamp, nonce, ...query.extra });
  };

  return {
    database: handle,
    databaseUrl,
    sim,
    runtime,
    webhookUrl,
    signedQuery,
    handle: (body) => runtime.handleWebhook({ method: 'POST', query: signedQuery(), body: Buffer.from(body) }),
    setDatabaseReachable(value) {
      reachable = value;
    },
    async addAgent(prefix, agentOpts = {}) {
      const kfAccount = `${prefix}@${c.kfSuffix}`;
      const nickname = agentOpts.nickname ?? prefix;
      await runtime.kf.addKfAccount({ kfAccount, nickname });
      await runtime.kf.inviteWorker({ kfAccount, inviteWx: `wx_${prefix}` });
      await sim.agents.acceptInvite(kfAccount);
      await sim.agents.setOnline(kfAccount, true);
      await upsertAgent(handle.db, { kfAccount, nickname, status: 'active', kfOpenid: agentOpts.openid ?? null });
      return kfAccount;
    },
    async push(fields, pushOpts = {}) {
      const mode = pushOpts.mode ?? 'plain';
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const inner = buildXml({ ToUserName: c.originalId, ...fields });
      const query = new URLSearchParams({
        signature: pushOpts.signature ?? plainSignature(c.token, timestamp, nonce),
        timestamp,
        nonce,
        openid: String(fields.FromUserName ?? ''),
      });
      let body = inner;
      if (mode !== 'plain') {
        const encrypt = crypto.encrypt(inner);
        query.set('encrypt_type', 'aes');
        query.set('msg_signature', msgSignature(c.token, timestamp, nonce, encrypt));
        body = mode === 'safe' ? buildXml({ ToUserName: c.originalId, Encrypt: encrypt }) : buildXml({ ToUserName: c.originalId, ...fields, Encrypt: encrypt });
      }
      return fetch(`${webhookUrl}?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    },
    async pushRaw(body) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const query = new URLSearchParams({ signature: plainSignature(c.token, timestamp, nonce), timestamp, nonce });
      return fetch(`${webhookUrl}?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    },
    secondInstance() {
      const other = newRuntime();
      return {
        async push(fields) {
          const timestamp = String(Math.floor(Date.now() / 1000));
          const nonce = String(Math.floor(Math.random() * 1e9));
          const query = new URLSearchParams({ signature: plainSignature(c.token, timestamp, nonce), timestamp, nonce });
          const body = Buffer.from(buildXml({ ToUserName: c.originalId, ...fields }));
          return other.handleWebhook({ method: 'POST', query, body });
        },
        stop: () => other.stop(),
      };
    },
    async drainOutbox() {
      await runtime.dispatcher.drain();
    },
    async close() {
      await runtime.stop();
      await sim.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await drop();
    },
  };
}

let msgIds = 7_000_000_000_000_000_000n;
/** A fresh 64-bit MsgId, beyond 2^53 like WeChat's. */
export function nextMsgId(): string {
  msgIds += 1n;
  return msgIds.toString();
}

export function textFields(openid: string, content: string, createTime = Math.floor(Date.now() / 1000)) {
  return { FromUserName: openid, CreateTime: createTime, MsgType: 'text', Content: content, MsgId: nextMsgId() };
}

/** What WeChat made of wekf's passive reply to a follower's push. */
export function replyOf(result: FollowerResult): PushRecord['outcome'] {
  if (result.route !== 'webhook') throw new Error(`the push did not reach the webhook (${result.route})`);
  return result.push.outcome;
}

export function replyText(result: FollowerResult): string | undefined {
  const outcome = replyOf(result);
  return outcome?.kind === 'message' ? outcome.text : undefined;
}

export function isTransfer(result: FollowerResult): boolean {
  return replyOf(result)?.kind === 'transfer';
}
