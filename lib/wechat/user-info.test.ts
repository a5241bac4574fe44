import { describe, expect, it } from 'vitest';
import { kfApiOnFake } from './testdata/kf-api-on-fake';
import { remarkFits } from './user-info';

const setup = kfApiOnFake();

describe('remarkFits', () => {
  it('counts UTF-8 bytes, under 30: 29 letters or 9 Chinese characters, not 10', () => {
    expect(remarkFits('a'.repeat(29))).toBe(true);
    expect(remarkFits('a'.repeat(30))).toBe(false);
    expect(remarkFits('王'.repeat(9))).toBe(true);
    expect(remarkFits('王'.repeat(10))).toBe(false);
    expect(remarkFits('')).toBe(true);
  });
});

describe('KfApi follower info', () => {
  it('asks batchget with the documented body and reads remarks, "" for none and nothing for one who left', async () => {
    const { fake, api } = await setup({
      'POST /cgi-bin/user/info/batchget': () => ({
        json: {
          user_info_list: [
            { subscribe: 1, openid: 'o1', language: 'zh_CN', subscribe_time: 1700000000, remark: '王女士', groupid: 0, tagid_list: [] },
            { subscribe: 1, openid: 'o2', remark: '' },
            { subscribe: 0, openid: 'o3' },
          ],
        },
      }),
    });
    expect(await api.batchGetUserInfo(['o1', 'o2', 'o3'])).toEqual([
      { openid: 'o1', subscribed: true, remark: '王女士' },
      { openid: 'o2', subscribed: true, remark: '' },
      { openid: 'o3', subscribed: false, remark: undefined },
    ]);
    expect(fake.apiCalls().map((r) => [r.method, r.path, r.json])).toEqual([
      ['POST', '/cgi-bin/user/info/batchget', { user_list: ['o1', 'o2', 'o3'].map((openid) => ({ openid, lang: 'zh_CN' })) }],
    ]);
  });

  it('refuses more than 100 openids, or none, before calling WeChat', async () => {
    const { fake, api } = await setup({});
    await expect(api.batchGetUserInfo(Array.from({ length: 101 }, (_, i) => `o${i}`))).rejects.toBeInstanceOf(RangeError);
    await expect(api.batchGetUserInfo([])).rejects.toBeInstanceOf(RangeError);
    expect(fake.apiCalls()).toHaveLength(0);
  });

  it('sets a remark with the documented body; a too-long one never reaches WeChat; refusals are WechatApiErrors', async () => {
    const { fake, api } = await setup({
      'POST /cgi-bin/user/info/updateremark': (req) =>
        (req.json as { openid: string }).openid === 'ghost' ? { json: { errcode: 40003, errmsg: 'invalid openid rid: 1-2-3' } } : { json: { errcode: 0, errmsg: 'ok' } },
    });
    await api.updateRemark({ openid: 'o1', remark: '王女士' });
    await expect(api.updateRemark({ openid: 'o1', remark: '王'.repeat(10) })).rejects.toBeInstanceOf(RangeError);
    await expect(api.updateRemark({ openid: 'ghost', remark: 'x' })).rejects.toMatchObject({ name: 'WechatApiError', errcode: 40003, errmsg: 'invalid openid' });
    expect(fake.apiCalls().map((r) => r.json)).toEqual([
      { openid: 'o1', remark: '王女士' },
      { openid: 'ghost', remark: 'x' },
    ]);
  });
});
