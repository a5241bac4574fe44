import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken, readyAgent, startWebhook, transferReply } from '../test-support';

let sim: WechatSim;
let token: string;

beforeEach(async () => {
  sim = await startWechatSim();
  token = await classicToken(sim);
});
afterEach(() => sim.close());

const create = (kfAccount: string, openid: string) =>
  apiCall(sim, '/customservice/kfsession/create', { token, body: { kf_account: kfAccount, openid } });
const close = (kfAccount: string, openid: string) =>
  apiCall(sim, '/customservice/kfsession/close', { token, body: { kf_account: kfAccount, openid } });
const getSession = (openid: string) => apiCall(sim, '/customservice/kfsession/getsession', { token, query: { openid } });
const getSessionList = (kfAccount: string) =>
  apiCall(sim, '/customservice/kfsession/getsessionlist', { token, query: { kf_account: kfAccount } });
const getWaitCase = () => apiCall(sim, '/customservice/kfsession/getwaitcase', { token });

describe('kfsession/create', () => {
  it('opens a session, and answers 0 again for the same agent', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    await sim.follower('fan').sendText('hello');
    // The session's second, read around the call: a second may turn over on a busy machine.
    const before = Math.floor(sim.clock.now() / 1000);
    expect(await create(alice, 'fan')).toEqual({ errcode: 0, errmsg: 'ok' });
    const after = Math.floor(sim.clock.now() / 1000);
    expect(await create(alice, 'fan')).toEqual({ errcode: 0, errmsg: 'ok' });
    const session = await getSession('fan');
    expect(session).toEqual({ createtime: expect.any(Number), kf_account: alice });
    expect(session.createtime).toBeGreaterThanOrEqual(before);
    expect(session.createtime).toBeLessThanOrEqual(after);
    expect((await getSessionList(alice)).sessionlist).toEqual([{ createtime: session.createtime, openid: 'fan' }]);
  });

  it('answers 65414 when another agent serves the follower', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    const bob = await readyAgent(sim, token, 'bob');
    await sim.follower('fan').sendText('hello');
    await create(alice, 'fan');
    expect((await create(bob, 'fan')).errcode).toBe(65414);
  });

  it('answers 65415 for an offline agent, 65402 for an unbound one, 65401 for an unknown one', async () => {
    const offline = await readyAgent(sim, token, 'off', false);
    const unbound = `new@${sim.credentials.kfSuffix}`;
    await apiCall(sim, '/customservice/kfaccount/add', { token, body: { kf_account: unbound, nickname: 'n' } });
    await sim.follower('fan').sendText('hello');
    expect((await create(offline, 'fan')).errcode).toBe(65415);
    expect((await create(unbound, 'fan')).errcode).toBe(65402);
    expect((await create(`ghost@${sim.credentials.kfSuffix}`, 'fan')).errcode).toBe(65401);
  });

  it('answers 40003 for an openid WeChat has never seen', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    expect((await create(alice, 'stranger')).errcode).toBe(40003);
    expect((await getSession('stranger')).errcode).toBe(40003);
  });
});

describe('kfsession/close and getsession', () => {
  it('closes the session; a second close answers 65413', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    await sim.follower('fan').sendText('hello');
    await create(alice, 'fan');
    expect((await close(alice, 'fan')).errcode).toBe(0);
    expect(await getSession('fan')).toEqual({ createtime: 0, kf_account: '' });
    expect((await close(alice, 'fan')).errcode).toBe(65413);
  });

  it('refuses to close another agent’s session with 65414', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    const bob = await readyAgent(sim, token, 'bob');
    await sim.follower('fan').sendText('hello');
    await create(alice, 'fan');
    expect((await close(bob, 'fan')).errcode).toBe(65414);
  });
});

describe('kfsession/getwaitcase', () => {
  it('lists at most 100 waiting followers, oldest first, with the total count', async () => {
    const webhook = await startWebhook((req) => transferReply(req.query.openid ?? ''));
    sim.setWebhook(webhook.url);
    for (let i = 0; i < 120; i++) {
      sim.clock.advance(1000);
      await sim.follower(`fan${i}`).sendText('help');
    }
    await webhook.close();
    const json = await getWaitCase();
    expect(json.count).toBe(120);
    expect(json.waitcaselist).toHaveLength(100);
    expect(json.waitcaselist[0].openid).toBe('fan0');
    expect(json.waitcaselist[0]).toEqual({ latest_time: expect.any(Number), openid: 'fan0' });
  });
});
