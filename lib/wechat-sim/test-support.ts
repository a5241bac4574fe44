// Helpers shared by the simulator's tests: raw API calls (so tests see exactly what WeChat sends)
// and a tiny node:http webhook that records what the fake WeChat pushes to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildXml } from '../wechat/xml';
import type { WechatSim } from './index';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function apiCall(
  sim: WechatSim,
  path: string,
  opts: { method?: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown; token?: string } = {},
): Promise<Json> {
  const url = new URL(path, sim.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  if (opts.token !== undefined) url.searchParams.set('access_token', opts.token);
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const res = await fetch(url, { method, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return (await res.json()) as Json;
}

export async function classicToken(sim: WechatSim): Promise<string> {
  const { appId, appSecret } = sim.credentials;
  const json = await apiCall(sim, '/cgi-bin/token', {
    query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
  });
  if (typeof json.access_token !== 'string') throw new Error(`no token: ${JSON.stringify(json)}`);
  return json.access_token;
}

/** Creates an agent account, has the invited person accept, and brings the agent online. */
export async function readyAgent(sim: WechatSim, token: string, prefix: string, online = true): Promise<string> {
  const kfAccount = `${prefix}@${sim.credentials.kfSuffix}`;
  const added = await apiCall(sim, '/customservice/kfaccount/add', { token, body: { kf_account: kfAccount, nickname: prefix } });
  const invited = await apiCall(sim, '/customservice/kfaccount/inviteworker', {
    token,
    body: { kf_account: kfAccount, invite_wx: `wx_${prefix}_person` },
  });
  if (added.errcode !== 0 || invited.errcode !== 0) throw new Error(`agent setup failed: ${JSON.stringify([added, invited])}`);
  await sim.agents.acceptInvite(kfAccount);
  if (online) await sim.agents.setOnline(kfAccount, true);
  return kfAccount;
}

/** The passive reply that hands a follower to customer service, optionally to one agent. */
export function transferReply(openid: string, kfAccount?: string): string {
  return buildXml({
    ToUserName: openid,
    FromUserName: 'gh_test',
    CreateTime: 1700000000,
    MsgType: 'transfer_customer_service',
    ...(kfAccount ? { TransInfo: { KfAccount: kfAccount } } : {}),
  });
}

export function textReply(openid: string, content: string): string {
  return buildXml({ ToUserName: openid, FromUserName: 'gh_test', CreateTime: 1700000000, MsgType: 'text', Content: content });
}

export interface WebhookRequest {
  method: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type WebhookAnswer = string | { status?: number; body?: string; delayMs?: number };

export interface TestWebhook {
  url: string;
  requests: WebhookRequest[];
  close(): Promise<void>;
}

export async function startWebhook(
  respond: (req: WebhookRequest, index: number) => WebhookAnswer | Promise<WebhookAnswer> = () => 'success',
): Promise<TestWebhook> {
  const requests: WebhookRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://webhook.invalid');
      const request = {
        method: req.method ?? '',
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const raw = await respond(request, requests.length - 1);
      const answer = typeof raw === 'string' ? { body: raw } : raw;
      const reply = () => {
        if (!res.destroyed) res.writeHead(answer.status ?? 200, { 'Content-Type': 'text/xml' }).end(answer.body ?? '');
      };
      if (!answer.delayMs) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wechat`,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
