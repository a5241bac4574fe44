import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken } from '../test-support';

let sim: WechatSim;
let token: string;
/** The seconds read around fan's subscribe: a second may turn over during it on a busy machine. */
let fanSubscribed: { before: number; after: number };

beforeEach(async () => {
  sim = await startWechatSim();
  token = await classicToken(sim);
  const before = Math.floor(sim.clock.now() / 1000);
  await sim.follower('fan').subscribe();
  fanSubscribed = { before, after: Math.floor(sim.clock.now() / 1000) };
  await sim.follower('regular').sendText('hello');
});
afterEach(() => sim.close());

const batchget = (openids: string[]) => apiCall(sim, '/cgi-bin/user/info/batchget', { token, body: { user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) } });
const updateRemark = (openid: string, remark: unknown) => apiCall(sim, '/cgi-bin/user/info/updateremark', { token, body: { openid, remark } });
const remarkOf = async (openid: string) => (await batchget([openid])).user_info_list[0].remark;

describe('user/info/batchget', () => {
  it('gives each follower its remark ("" when none), no nickname or avatar, and subscribe 0 for one who left', async () => {
    sim.follower('fan').setRemark('王女士（VIP）');
    await sim.follower('gone').subscribe();
    await sim.follower('gone').unsubscribe();
    const json = await batchget(['fan', 'regular', 'gone']);
    expect(json.user_info_list).toEqual([
      expect.objectContaining({ subscribe: 1, openid: 'fan', remark: '王女士（VIP）', subscribe_time: expect.any(Number) }),
      expect.objectContaining({ subscribe: 1, openid: 'regular', remark: '' }),
      { subscribe: 0, openid: 'gone' },
    ]);
    expect(json.user_info_list[0].subscribe_time).toBeGreaterThanOrEqual(fanSubscribed.before);
    expect(json.user_info_list[0].subscribe_time).toBeLessThanOrEqual(fanSubscribed.after);
    for (const entry of json.user_info_list) {
      expect(entry).not.toHaveProperty('nickname');
      expect(entry).not.toHaveProperty('headimgurl');
    }
  });

  it('answers the whole call with 40003 when one openid is not a follower', async () => {
    const json = await batchget(['fan', 'stranger']);
    expect(json.errcode).toBe(40003);
    expect(json.errmsg).toMatch(/^invalid openid rid: /);
    expect(json).not.toHaveProperty('user_info_list');
  });

  it('takes 1 to 100 openids: 101 or none answer 40032; GET answers 43002', async () => {
    for (let i = 0; i < 101; i++) await sim.follower(`f${i}`).subscribe();
    const hundred = Array.from({ length: 100 }, (_, i) => `f${i}`);
    expect((await batchget(hundred)).user_info_list).toHaveLength(100);
    expect((await batchget([...hundred, 'f100'])).errcode).toBe(40032);
    expect((await batchget([])).errcode).toBe(40032);
    expect((await apiCall(sim, '/cgi-bin/user/info/batchget', { token, method: 'GET' })).errcode).toBe(43002);
  });
});

describe('user/info/updateremark', () => {
  it('sets the remark batchget then returns, and "" clears it', async () => {
    expect(await updateRemark('fan', 'Alice from Shanghai')).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await remarkOf('fan')).toBe('Alice from Shanghai');
    expect(sim.snapshot().followers.find((f) => f.openid === 'fan')?.remark).toBe('Alice from Shanghai');
    expect((await updateRemark('fan', '')).errcode).toBe(0);
    expect(await remarkOf('fan')).toBe('');
  });

  it('counts bytes: 29 letters or 9 Chinese characters pass, 30 bytes answer 40092 and change nothing', async () => {
    expect((await updateRemark('fan', 'a'.repeat(29))).errcode).toBe(0);
    expect((await updateRemark('fan', '王'.repeat(9))).errcode).toBe(0);
    const refused = await updateRemark('fan', '王'.repeat(10));
    expect(refused.errcode).toBe(40092);
    expect(refused.errmsg).toMatch(/^invalid remark name rid: /);
    expect((await updateRemark('fan', 'a'.repeat(30))).errcode).toBe(40092);
    expect(await remarkOf('fan')).toBe('王'.repeat(9));
  });

  it('answers 40003 for an openid WeChat never saw, 43004 for one who unfollowed, 47001 without a remark', async () => {
    expect((await updateRemark('stranger', 'x')).errcode).toBe(40003);
    await sim.follower('regular').unsubscribe();
    expect((await updateRemark('regular', 'x')).errcode).toBe(43004);
    expect((await updateRemark('fan', 42)).errcode).toBe(47001);
  });
});

describe('remarks typed in WeChat’s admin (control API)', () => {
  it('takes up to 30 characters, more than the API allows, and refuses 31', async () => {
    const post = (remark: string) =>
      fetch(`${sim.url}/__sim/followers/fan/remark`, { method: 'POST', body: JSON.stringify({ remark }), headers: { 'content-type': 'application/json' } });
    expect((await post('张'.repeat(30))).status).toBe(200);
    expect(await remarkOf('fan')).toBe('张'.repeat(30));
    const refused = await post('张'.repeat(31));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_argument' });
    expect(await remarkOf('fan')).toBe('张'.repeat(30));
  });
});
