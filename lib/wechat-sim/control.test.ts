import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from './index';
import { apiCall, classicToken, startWebhook, transferReply } from './test-support';

let sim: WechatSim;
let token: string;
const LIST = '/cgi-bin/customservice/getkflist';

beforeEach(async () => {
  sim = await startWechatSim();
  token = await classicToken(sim);
});
afterEach(() => sim.close());

const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('answers', () => {
  it('answers API calls whole, with their length, as WeChat does', async () => {
    const res = await fetch(`${sim.url}${LIST}?access_token=${token}`);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ kf_list: [] });
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  });
});

describe('fault injection', () => {
  it('answers an injected errcode for the next N calls of a path, then recovers', async () => {
    sim.faults.inject({ path: LIST, errcode: -1, times: 2 });
    expect((await apiCall(sim, LIST, { token })).errcode).toBe(-1);
    expect((await apiCall(sim, LIST, { token })).errmsg).toMatch(/^system error rid: /);
    expect(await apiCall(sim, LIST, { token })).toEqual({ kf_list: [] });
  });

  it('answers an injected HTTP status', async () => {
    sim.faults.inject({ path: LIST, httpStatus: 503 });
    expect((await fetch(`${sim.url}${LIST}?access_token=${token}`)).status).toBe(503);
  });

  it('delays the answer, then runs the endpoint', async () => {
    sim.faults.inject({ path: LIST, delayMs: 150 });
    const started = Date.now();
    expect(await apiCall(sim, LIST, { token })).toEqual({ kf_list: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection without an answer', async () => {
    sim.faults.inject({ path: LIST, drop: true });
    await expect(fetch(`${sim.url}${LIST}?access_token=${token}`)).rejects.toThrow();
    expect(sim.calls({ path: LIST }).at(-1)).toMatchObject({ httpStatus: 0, response: 'dropped' });
  });

  it('is available over HTTP too', async () => {
    expect((await control('POST', 'faults', { path: LIST, errcode: 45011 })).status).toBe(200);
    expect((await control('GET', 'faults')).json).toMatchObject([{ path: LIST, errcode: 45011, remaining: 1 }]);
    expect((await apiCall(sim, LIST, { token })).errcode).toBe(45011);
    await control('POST', 'faults', { path: LIST, errcode: 45011 });
    await control('POST', 'faults/clear');
    expect(await apiCall(sim, LIST, { token })).toEqual({ kf_list: [] });
  });
});

describe('clock and records', () => {
  it('moves the fake clock in process and over HTTP', async () => {
    const before = sim.clock.now();
    sim.clock.advance(1000);
    const { json } = await control('POST', 'clock/advance', { ms: 7200_000 });
    expect(json.now).toBeGreaterThanOrEqual(before + 7201_000);
    expect((await apiCall(sim, LIST, { token })).errcode).toBe(42001);
    expect((await control('POST', 'clock/advance', { ms: -5 })).status).toBe(400);
  });

  it('records every API call with method, path, query and JSON body', async () => {
    await apiCall(sim, '/customservice/kfaccount/add', { token, body: { kf_account: 'x@wekf_sim', nickname: 'X' } });
    const call = sim.calls({ path: '/customservice/kfaccount/add' })[0];
    expect(call).toMatchObject({
      method: 'POST',
      query: { access_token: token },
      body: { kf_account: 'x@wekf_sim', nickname: 'X' },
      httpStatus: 200,
      response: { errcode: 0, errmsg: 'ok' },
    });
    const { json } = await control('GET', `calls?path=${encodeURIComponent('/cgi-bin/token')}`);
    expect(json).toHaveLength(1);
  });

  it('lists deliveries, pushes and state over HTTP', async () => {
    const webhook = await startWebhook(() => transferReply('fan'));
    await control('POST', 'webhook', { url: webhook.url, mode: 'plain' });
    await control('POST', 'followers/fan/text', { text: '客服' });
    expect((await control('GET', 'queue')).json).toMatchObject([{ openid: 'fan' }]);
    expect((await control('GET', 'pushes?openid=fan')).json[0].fields).toMatchObject({ Content: '客服', MsgId: expect.any(String) });
    expect((await control('GET', 'state')).json.followers).toMatchObject([{ openid: 'fan', subscribed: true }]);
    await webhook.close();
  });
});

describe('followers and agents over HTTP', () => {
  it('drives a whole session: invite, online, accept, send, close', async () => {
    const kf = `alice@${sim.credentials.kfSuffix}`;
    await apiCall(sim, '/customservice/kfaccount/add', { token, body: { kf_account: kf, nickname: 'Alice' } });
    await apiCall(sim, '/customservice/kfaccount/inviteworker', { token, body: { kf_account: kf, invite_wx: 'alice_wx' } });
    const agent = (action: string, body?: unknown) => control('POST', `agents/${encodeURIComponent(kf)}/${action}`, body);
    expect((await agent('accept-invite')).status).toBe(200);
    expect((await agent('online', { online: true })).status).toBe(200);
    const webhook = await startWebhook(() => transferReply('fan'));
    sim.setWebhook(webhook.url);
    await control('POST', 'followers/fan/text', { text: '客服' });
    expect((await agent('accept')).json.route).toBe('webhook');
    await agent('send', { openid: 'fan', text: 'hello from alice' });
    expect((await control('GET', 'followers/fan/inbox')).json).toMatchObject([{ source: 'agent', text: 'hello from alice' }]);
    expect((await agent('close', { openid: 'fan' })).status).toBe(200);
    await webhook.close();
  });

  it('answers 400 with the usage code for an impossible action and 404 for an unknown route', async () => {
    const { status, json } = await control('POST', 'agents/ghost@wekf_sim/accept');
    expect(status).toBe(400);
    expect(json.error).toBe('unknown_agent');
    expect((await control('POST', 'followers/fan/text', {})).json.error).toBe('invalid_argument');
    expect((await control('GET', 'nothing-here')).status).toBe(404);
  });
});
