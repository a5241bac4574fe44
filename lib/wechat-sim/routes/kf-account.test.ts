import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken, readyAgent } from '../test-support';

let sim: WechatSim;
let token: string;
let suffix: string;

beforeEach(async () => {
  sim = await startWechatSim({ inviteExpiryMs: 3600_000 });
  token = await classicToken(sim);
  suffix = sim.credentials.kfSuffix;
});
afterEach(() => sim.close());

const post = (path: string, body: unknown) => apiCall(sim, path, { token, body });
const add = (kfAccount: string, nickname = 'Agent') => post('/customservice/kfaccount/add', { kf_account: kfAccount, nickname });
const invite = (kfAccount: string, inviteWx: string) =>
  post('/customservice/kfaccount/inviteworker', { kf_account: kfAccount, invite_wx: inviteWx });
const kfList = async () => (await apiCall(sim, '/cgi-bin/customservice/getkflist', { token })).kf_list;
const onlineList = async () => (await apiCall(sim, '/cgi-bin/customservice/getonlinekflist', { token })).kf_online_list;

describe('kfaccount/add', () => {
  it('adds an account with a string kf_id that getkflist lists', async () => {
    expect(await add(`alice@${suffix}`, '客服小爱')).toEqual({ errcode: 0, errmsg: 'ok' });
    const [entry] = await kfList();
    expect(entry).toMatchObject({ kf_account: `alice@${suffix}`, kf_nick: '客服小爱', kf_id: '1001' });
    expect(entry).not.toHaveProperty('kf_wx');
  });

  it('answers 65404 for a bad prefix, a foreign suffix or a missing @', async () => {
    for (const bad of [`a-b@${suffix}`, `abcdefghijk@${suffix}`, 'alice@other', 'alice', `a@b@${suffix}`]) {
      expect((await add(bad)).errcode, bad).toBe(65404);
    }
  });

  it('answers 65403 for an empty nickname or one over 16 characters', async () => {
    expect((await add(`a@${suffix}`, '')).errcode).toBe(65403);
    expect((await add(`a@${suffix}`, '一二三四五六七八九十一二三四五六七')).errcode).toBe(65403);
    expect((await add(`a@${suffix}`, '一二三四五六七八九十一二三四五六')).errcode).toBe(0);
  });

  it('answers 65406 for a duplicate and 65405 past 100 accounts', async () => {
    await add(`dup@${suffix}`);
    expect((await add(`dup@${suffix}`)).errcode).toBe(65406);
    for (let i = 1; i < 100; i++) expect((await add(`a${i}@${suffix}`)).errcode).toBe(0);
    expect((await add(`extra@${suffix}`)).errcode).toBe(65405);
  });
});

describe('update, del and uploadheadimg', () => {
  it('renames an account, and answers 65401 for an unknown one', async () => {
    await add(`bob@${suffix}`);
    expect((await post('/customservice/kfaccount/update', { kf_account: `bob@${suffix}`, nickname: 'Bobby' })).errcode).toBe(0);
    expect((await kfList())[0].kf_nick).toBe('Bobby');
    expect((await post('/customservice/kfaccount/update', { kf_account: `x@${suffix}`, nickname: 'X' })).errcode).toBe(65401);
  });

  it('deletes by GET query (old style) and by POST body (new style)', async () => {
    await add(`g@${suffix}`);
    await add(`p@${suffix}`);
    const byGet = await apiCall(sim, '/customservice/kfaccount/del', { token, query: { kf_account: `g@${suffix}` } });
    expect(byGet.errcode).toBe(0);
    expect((await post('/customservice/kfaccount/del', { kf_account: `p@${suffix}` })).errcode).toBe(0);
    expect(await kfList()).toEqual([]);
    expect((await post('/customservice/kfaccount/del', { kf_account: `p@${suffix}` })).errcode).toBe(65401);
  });

  it('accepts a JPEG head image and refuses other files with 40005', async () => {
    await add(`pic@${suffix}`);
    const upload = async (bytes: number[]) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'head.jpg');
      const url = `${sim.url}/customservice/kfaccount/uploadheadimg?access_token=${token}&kf_account=pic@${suffix}`;
      return (await (await fetch(url, { method: 'POST', body: form })).json()) as { errcode: number };
    };
    const before = (await kfList())[0].kf_headimgurl;
    expect((await upload([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])).errcode).toBe(0);
    expect((await kfList())[0].kf_headimgurl).not.toBe(before);
    expect((await upload([0x89, 0x50, 0x4e, 0x47])).errcode).toBe(40005);
  });
});

describe('inviteworker', () => {
  it('shows a waiting invitation, then expired after the configured duration', async () => {
    await add(`inv@${suffix}`);
    expect((await invite(`inv@${suffix}`, 'person_one')).errcode).toBe(0);
    expect((await kfList())[0]).toMatchObject({ invite_wx: 'person_one', invite_status: 'waiting' });
    expect((await kfList())[0].invite_expire_time).toBe(Math.floor((sim.clock.now() + 3600_000) / 1000));
    expect((await invite(`inv@${suffix}`, 'person_two')).errcode).toBe(65411);
    sim.clock.advance(3600_000);
    expect((await kfList())[0].invite_status).toBe('expired');
    await expect(sim.agents.acceptInvite(`inv@${suffix}`)).rejects.toMatchObject({ code: 'no_invite' });
    expect((await invite(`inv@${suffix}`, 'person_two')).errcode).toBe(0);
  });

  it('shows rejected after the person declines, and allows a new invitation', async () => {
    await add(`rej@${suffix}`);
    await invite(`rej@${suffix}`, 'person_one');
    await sim.agents.rejectInvite(`rej@${suffix}`);
    expect((await kfList())[0].invite_status).toBe('rejected');
    expect((await invite(`rej@${suffix}`, 'person_one')).errcode).toBe(0);
  });

  it('binds on acceptance (kf_wx, no invite fields) and then answers 65412', async () => {
    await add(`ok@${suffix}`);
    await invite(`ok@${suffix}`, 'person_one');
    await sim.agents.acceptInvite(`ok@${suffix}`);
    const [entry] = await kfList();
    expect(entry.kf_wx).toBe('person_one');
    expect(entry).not.toHaveProperty('invite_status');
    expect((await invite(`ok@${suffix}`, 'person_two')).errcode).toBe(65412);
  });

  it('refuses a bad WeChat ID (65409), a bound one (65407) and one already invited elsewhere (65408)', async () => {
    await add(`a@${suffix}`);
    await add(`b@${suffix}`);
    await add(`c@${suffix}`);
    expect((await invite(`a@${suffix}`, '1bad')).errcode).toBe(65409);
    await invite(`a@${suffix}`, 'person_one');
    expect((await invite(`b@${suffix}`, 'person_one')).errcode).toBe(65408);
    await sim.agents.acceptInvite(`a@${suffix}`);
    expect((await invite(`c@${suffix}`, 'person_one')).errcode).toBe(65407);
  });
});

describe('getonlinekflist', () => {
  it('lists only bound online agents with their accepted_case', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    await readyAgent(sim, token, 'bob', false);
    await add(`carol@${suffix}`);
    expect(await onlineList()).toEqual([{ kf_account: alice, status: 1, kf_id: '1001', accepted_case: 0 }]);
    await sim.follower('fan1').sendText('hi');
    expect((await post('/customservice/kfsession/create', { kf_account: alice, openid: 'fan1' })).errcode).toBe(0);
    expect((await onlineList())[0].accepted_case).toBe(1);
    await sim.agents.setOnline(alice, false);
    expect(await onlineList()).toEqual([]);
  });

  it('refuses to bring an unbound account online', async () => {
    await add(`nobody@${suffix}`);
    await expect(sim.agents.setOnline(`nobody@${suffix}`, true)).rejects.toMatchObject({ code: 'agent_not_bound' });
  });
});
