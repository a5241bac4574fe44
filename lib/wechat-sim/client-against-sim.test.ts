// lib/wechat's real API client driven against the fake: the client and the simulator must agree on
// every path, body and error, so neither can drift from WeChat's behaviour on its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WechatClient } from '../wechat/client';
import { WechatApiError, WechatNetworkError } from '../wechat/errors';
import { KfApi } from '../wechat/kf-api';
import { startWechatSim, type WechatSim } from './index';

let sim: WechatSim;
let client: WechatClient;
let api: KfApi;
let kf: (prefix: string) => string;

beforeEach(async () => {
  sim = await startWechatSim();
  client = new WechatClient({ appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, baseUrl: sim.url });
  api = new KfApi(client);
  kf = (prefix) => `${prefix}@${sim.credentials.kfSuffix}`;
});
afterEach(() => sim.close());

async function onlineAgent(prefix: string): Promise<string> {
  const account = kf(prefix);
  await api.addKfAccount({ kfAccount: account, nickname: prefix });
  await api.inviteWorker({ kfAccount: account, inviteWx: `${prefix}_wechat` });
  await sim.agents.acceptInvite(account);
  await sim.agents.setOnline(account, true);
  return account;
}

describe('tokens', () => {
  it('fetches a stable token once and reuses it', async () => {
    await api.getKfList();
    await api.getKfList();
    expect(sim.calls({ path: '/cgi-bin/stable_token' })).toHaveLength(1);
    expect(sim.calls({ path: '/cgi-bin/stable_token' })[0]!.body).toMatchObject({ force_refresh: false });
  });

  it('refreshes once and retries when WeChat answers 40001', async () => {
    await api.getKfList();
    sim.faults.inject({ path: '/cgi-bin/customservice/getkflist', errcode: 40001 });
    await expect(api.getKfList()).resolves.toEqual([]);
    expect(sim.calls({ path: '/cgi-bin/customservice/getkflist' })).toHaveLength(3);
  });

  it('recovers from 42001 after the fake clock passes the token’s expiry', async () => {
    await api.getKfList();
    sim.clock.advance(7200_000);
    await expect(api.getKfList()).resolves.toEqual([]);
    const [, expired] = sim.calls({ path: '/cgi-bin/customservice/getkflist' });
    expect(expired!.response).toMatchObject({ errcode: 42001 });
  });

  it('uses /cgi-bin/token in classic mode and reports a wrong secret', async () => {
    const classic = new WechatClient({ appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, baseUrl: sim.url, tokenMode: 'classic' });
    await expect(new KfApi(classic).getKfList()).resolves.toEqual([]);
    const wrong = new WechatClient({ appId: sim.credentials.appId, appSecret: 'nope', baseUrl: sim.url, tokenMode: 'classic' });
    await expect(wrong.getAccessToken()).rejects.toMatchObject({ errcode: 40001 });
  });
});

describe('accounts', () => {
  it('adds, invites, binds, renames, uploads an avatar and deletes', async () => {
    const account = kf('alice');
    await api.addKfAccount({ kfAccount: account, nickname: 'Alice' });
    await api.inviteWorker({ kfAccount: account, inviteWx: 'alice_wechat' });
    expect((await api.getKfList())[0]).toMatchObject({ kf_account: account, kf_id: '1001', invite_status: 'waiting' });
    await sim.agents.acceptInvite(account);
    await api.updateKfAccount({ kfAccount: account, nickname: 'Alice W' });
    await api.uploadKfHeadImg(account, { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]) });
    expect((await api.getKfList())[0]).toMatchObject({ kf_nick: 'Alice W', kf_wx: 'alice_wechat' });
    await api.deleteKfAccount(account);
    expect(await api.getKfList()).toEqual([]);
  });

  it('surfaces refusals as WechatApiError with the errcode', async () => {
    await api.addKfAccount({ kfAccount: kf('dup'), nickname: 'D' });
    const error = await api.addKfAccount({ kfAccount: kf('dup'), nickname: 'D' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ errcode: 65406, errmsg: 'custom service account exists' });
  });

  it('lists online agents with accepted_case', async () => {
    const alice = await onlineAgent('alice');
    expect(await api.getOnlineKfList()).toEqual([{ kf_account: alice, status: 1, kf_id: '1001', accepted_case: 0 }]);
  });
});

describe('sessions and records', () => {
  it('creates, reads and closes a session', async () => {
    const alice = await onlineAgent('alice');
    await sim.follower('fan').sendText('hi');
    await api.createSession({ kfAccount: alice, openid: 'fan' });
    await api.createSession({ kfAccount: alice, openid: 'fan' });
    expect(await api.getSession('fan')).toMatchObject({ kf_account: alice });
    expect(await api.getSessionList(alice)).toMatchObject([{ openid: 'fan' }]);
    expect(await api.getWaitCase()).toEqual({ count: 0, waitcaselist: [] });
    await api.closeSession({ kfAccount: alice, openid: 'fan' });
    expect(await api.getSession('fan')).toMatchObject({ kf_account: '' });
    await expect(api.closeSession({ kfAccount: alice, openid: 'fan' })).rejects.toMatchObject({ errcode: 65413 });
  });

  it('walks chat records across 24-hour windows and pages with nothing lost or repeated', async () => {
    const alice = await onlineAgent('alice');
    const start = Math.floor(sim.clock.now() / 1000);
    const texts: string[] = [];
    for (let day = 0; day < 2; day++) {
      await sim.follower('fan').sendText(`open ${day}`);
      await api.createSession({ kfAccount: alice, openid: 'fan' });
      for (let i = 0; i < 4; i++) {
        await sim.follower('fan').sendText(`d${day} q${i}`);
        await sim.agents.send(alice, 'fan', `d${day} a${i}`);
        texts.push(`d${day} q${i}`, `d${day} a${i}`);
      }
      sim.clock.advance(25 * 3600_000);
    }
    const records = await api.getMsgList({ starttime: start, endtime: Math.floor(sim.clock.now() / 1000) }, { pageSize: 3 });
    expect(records.map((r) => r.text)).toEqual(texts);
  });
});

describe('messages and QR codes', () => {
  it('sends within the window and reports 45015 and 45047 outside it', async () => {
    await sim.follower('fan').click('MENU');
    for (let i = 0; i < 3; i++) await api.sendCustomMessage({ touser: 'fan', msgtype: 'text', text: { content: `m${i}` } });
    await expect(api.sendCustomMessage({ touser: 'fan', msgtype: 'text', text: { content: 'm3' } })).rejects.toMatchObject({ errcode: 45047 });
    sim.clock.advance(60_000);
    await expect(api.sendCustomMessage({ touser: 'fan', msgtype: 'text', text: { content: 'late' } })).rejects.toMatchObject({ errcode: 45015 });
    expect(sim.follower('fan').inbox().map((d) => d.text)).toEqual(['m0', 'm1', 'm2']);
  });

  it('sends typing within 30 s of the follower’s message', async () => {
    await sim.follower('fan').sendText('hi');
    await api.sendTyping('fan', 'Typing');
    await expect(api.sendTyping('fan', 'Typing')).rejects.toMatchObject({ errcode: 45081 });
    await api.sendTyping('fan', 'CancelTyping');
  });

  it('creates a temporary QR code', async () => {
    const qr = await api.createTempQrcode({ sceneStr: 'bind:abc', expireSeconds: 600 });
    expect(qr).toMatchObject({ ticket: expect.any(String), expire_seconds: 600 });
  });
});

describe('network faults', () => {
  it('reports a dropped connection, an HTTP error and a timeout as WechatNetworkError', async () => {
    await api.getKfList();
    const path = '/cgi-bin/customservice/getkflist';
    sim.faults.inject({ path, drop: true });
    await expect(api.getKfList()).rejects.toMatchObject({ name: 'WechatNetworkError', code: 'network' });
    sim.faults.inject({ path, httpStatus: 502 });
    await expect(api.getKfList()).rejects.toMatchObject({ code: 'http_status', status: 502 });
    const impatient = new KfApi(
      new WechatClient({ appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, baseUrl: sim.url, timeoutMs: 300 }),
    );
    await impatient.getKfList();
    sim.faults.inject({ path, delayMs: 1000 });
    const timedOut = await impatient.getKfList().catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(WechatNetworkError);
    expect(timedOut).toMatchObject({ code: 'timeout' });
  });
});
