import { describe, expect, it } from 'vitest';
import { WechatClient } from './client';
import { WechatApiError } from './errors';
import { KfApi, showQrcodeUrl } from './kf-api';
import type { CustomMessage } from './kf-types';
import type { FakeRoute, FakeWechat } from './testdata/fake-wechat';
import { kfApiOnFake } from './testdata/kf-api-on-fake';

const setup = kfApiOnFake();

const ok: FakeRoute = () => ({ json: { errcode: 0, errmsg: 'ok' } });
const T = { access_token: 'TOKEN1' };

// Each call's recorded shape, compared with PROTOCOL.md §6.
function shapes(f: FakeWechat) {
  return f.apiCalls().map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));
}

describe('KfApi account management', () => {
  it('adds, updates and invites with the documented POST bodies', async () => {
    const { fake, api } = await setup({
      'POST /customservice/kfaccount/add': ok,
      'POST /customservice/kfaccount/update': ok,
      'POST /customservice/kfaccount/inviteworker': ok,
    });
    await api.addKfAccount({ kfAccount: 'test1@test', nickname: '客服1' });
    await api.updateKfAccount({ kfAccount: 'test1@test', nickname: '客服一' });
    await api.inviteWorker({ kfAccount: 'test1@test', inviteWx: 'test_kfwx' });
    expect(shapes(fake)).toEqual([
      { method: 'POST', path: '/customservice/kfaccount/add', query: T, json: { kf_account: 'test1@test', nickname: '客服1' } },
      { method: 'POST', path: '/customservice/kfaccount/update', query: T, json: { kf_account: 'test1@test', nickname: '客服一' } },
      { method: 'POST', path: '/customservice/kfaccount/inviteworker', query: T, json: { kf_account: 'test1@test', invite_wx: 'test_kfwx' } },
    ]);
  });

  it('surfaces WeChat refusals as WechatApiError', async () => {
    const { api } = await setup({ 'POST /customservice/kfaccount/add': () => ({ json: { errcode: 65406, errmsg: 'custom service account exists' } }) });
    await expect(api.addKfAccount({ kfAccount: 'a@b', nickname: 'n' })).rejects.toMatchObject({ errcode: 65406 });
  });

  it('deletes with a POST body', async () => {
    const { fake, api } = await setup({ 'POST /customservice/kfaccount/del': ok });
    await api.deleteKfAccount('test1@test');
    expect(shapes(fake)).toEqual([
      { method: 'POST', path: '/customservice/kfaccount/del', query: T, json: { kf_account: 'test1@test' } },
    ]);
  });

  it.each([
    ['errcode 43001 (require GET)', { json: { errcode: 43001, errmsg: 'require GET method' } }],
    ['errcode 44002 (empty post data)', { json: { errcode: 44002, errmsg: 'empty post data' } }],
    ['HTTP 405', { status: 405, text: '' }],
  ])('falls back to GET with a query after %s', async (_label, reply) => {
    const { fake, api } = await setup({ 'POST /customservice/kfaccount/del': () => reply, 'GET /customservice/kfaccount/del': ok });
    await api.deleteKfAccount('test1@test');
    expect(shapes(fake)[1]).toEqual({
      method: 'GET',
      path: '/customservice/kfaccount/del',
      query: { access_token: 'TOKEN1', kf_account: 'test1@test' },
      json: undefined,
    });
  });

  it('does not fall back on an ordinary refusal', async () => {
    const { fake, api } = await setup({ 'POST /customservice/kfaccount/del': () => ({ json: { errcode: 65401, errmsg: 'invalid custom service account' } }) });
    await expect(api.deleteKfAccount('x@y')).rejects.toBeInstanceOf(WechatApiError);
    expect(fake.apiCalls()).toHaveLength(1);
  });

  it('uploads the avatar as multipart field "media" with kf_account in the query', async () => {
    const { fake, api } = await setup({ 'POST /customservice/kfaccount/uploadheadimg': ok });
    await api.uploadKfHeadImg('test1@test', { data: Buffer.from([0xff, 0xd8, 0xff]) });
    const call = fake.apiCalls()[0]!;
    expect(call.query).toEqual({ access_token: 'TOKEN1', kf_account: 'test1@test' });
    expect(call.contentType).toMatch(/^multipart\/form-data/);
    expect(call.body.toString('latin1')).toContain('name="media"; filename="headimg.jpg"');
    expect(call.body.toString('latin1')).toContain('Content-Type: image/jpeg');
  });

  it('lists accounts with kf_id as a string whether WeChat sends a string or a number', async () => {
    const { fake, api } = await setup({
      'GET /cgi-bin/customservice/getkflist': () => ({
        json: {
          kf_list: [
            { kf_account: 'test1@test', kf_headimgurl: 'http://h/0', kf_id: '1001', kf_nick: 'ntest1', kf_wx: 'kfwx1' },
            { kf_account: 'test3@test', kf_headimgurl: 'http://h/0', kf_id: 1003, kf_nick: 'ntest3', invite_wx: 'kfwx3', invite_expire_time: 123456789, invite_status: 'waiting' },
          ],
        },
      }),
    });
    const list = await api.getKfList();
    expect(list.map((k) => k.kf_id)).toEqual(['1001', '1003']);
    expect(list[1]).toMatchObject({ invite_status: 'waiting', invite_expire_time: 123456789 });
    expect(shapes(fake)).toEqual([{ method: 'GET', path: '/cgi-bin/customservice/getkflist', query: T, json: undefined }]);
  });

  it('lists online agents', async () => {
    const { fake, api } = await setup({
      'GET /cgi-bin/customservice/getonlinekflist': () => ({
        json: { kf_online_list: [{ kf_account: 'test1@test', status: 1, kf_id: 1001, accepted_case: 1, auto_accept: 0 }] },
      }),
    });
    expect(await api.getOnlineKfList()).toEqual([
      { kf_account: 'test1@test', status: 1, kf_id: '1001', accepted_case: 1, auto_accept: 0 },
    ]);
    expect(shapes(fake)[0]).toMatchObject({ method: 'GET', path: '/cgi-bin/customservice/getonlinekflist' });
  });

  it('takes an odd entry WeChat sends without failing the list: NUL in a nickname dropped, an online entry without the fields wekf does not read', async () => {
    const { api } = await setup({
      'GET /cgi-bin/customservice/getkflist': () => ({ json: { kf_list: [{ kf_account: 'odd@test', kf_id: '1', kf_nick: 'a\u0000b' }] } }),
      'GET /cgi-bin/customservice/getonlinekflist': () => ({ json: { kf_online_list: [{ kf_account: 'odd@test', status: 1 }] } }),
    });
    expect((await api.getKfList())[0]).toMatchObject({ kf_nick: 'ab' });
    expect(await api.getOnlineKfList()).toEqual([{ kf_account: 'odd@test', status: 1 }]);
  });

  it('treats a missing list as empty and refuses a malformed one with bad_response', async () => {
    const { api } = await setup({
      'GET /cgi-bin/customservice/getkflist': () => ({ json: {} }),
      'GET /cgi-bin/customservice/getonlinekflist': () => ({ json: { kf_online_list: [{ kf_account: 1 }] } }),
    });
    expect(await api.getKfList()).toEqual([]);
    await expect(api.getOnlineKfList()).rejects.toMatchObject({ name: 'WechatProtocolError', code: 'bad_response' });
  });
});

describe('KfApi sessions', () => {
  it('creates and closes sessions with the documented bodies', async () => {
    const { fake, api } = await setup({ 'POST /customservice/kfsession/create': ok, 'POST /customservice/kfsession/close': ok });
    await api.createSession({ kfAccount: 'test1@test', openid: 'OPENID' });
    await api.closeSession({ kfAccount: 'test1@test', openid: 'OPENID' });
    expect(shapes(fake)).toEqual([
      { method: 'POST', path: '/customservice/kfsession/create', query: T, json: { kf_account: 'test1@test', openid: 'OPENID' } },
      { method: 'POST', path: '/customservice/kfsession/close', query: T, json: { kf_account: 'test1@test', openid: 'OPENID' } },
    ]);
  });

  it('gets a user session, an agent session list and the wait queue by GET', async () => {
    const { fake, api } = await setup({
      'GET /customservice/kfsession/getsession': () => ({ json: { createtime: 123456789, kf_account: 'test1@test' } }),
      'GET /customservice/kfsession/getsessionlist': () => ({ json: { sessionlist: [{ createtime: 123456789, openid: 'OPENID' }] } }),
      'GET /customservice/kfsession/getwaitcase': () => ({ json: { count: 150, waitcaselist: [{ latest_time: 123456789, openid: 'OPENID' }] } }),
    });
    expect(await api.getSession('OPENID')).toEqual({ createtime: 123456789, kf_account: 'test1@test' });
    expect(await api.getSessionList('test1@test')).toEqual([{ createtime: 123456789, openid: 'OPENID' }]);
    expect(await api.getWaitCase()).toEqual({ count: 150, waitcaselist: [{ latest_time: 123456789, openid: 'OPENID' }] });
    expect(shapes(fake)).toEqual([
      { method: 'GET', path: '/customservice/kfsession/getsession', query: { openid: 'OPENID', ...T }, json: undefined },
      { method: 'GET', path: '/customservice/kfsession/getsessionlist', query: { kf_account: 'test1@test', ...T }, json: undefined },
      { method: 'GET', path: '/customservice/kfsession/getwaitcase', query: T, json: undefined },
    ]);
  });

  it('reports no session as an empty kf_account', async () => {
    const { api } = await setup({ 'GET /customservice/kfsession/getsession': () => ({ json: { createtime: 0, kf_account: '' } }) });
    expect((await api.getSession('o')).kf_account).toBe('');
  });
});

describe('KfApi customer-service messages', () => {
  const messages: [string, CustomMessage, Record<string, unknown>][] = [
    ['text', { touser: 'O', msgtype: 'text', text: { content: 'Hello World' } }, { text: { content: 'Hello World' } }],
    ['image', { touser: 'O', msgtype: 'image', image: { media_id: 'M' } }, { image: { media_id: 'M' } }],
    ['voice', { touser: 'O', msgtype: 'voice', voice: { media_id: 'M' } }, { voice: { media_id: 'M' } }],
    [
      'video',
      { touser: 'O', msgtype: 'video', video: { media_id: 'M', thumb_media_id: 'T', title: 't', description: 'd' } },
      { video: { media_id: 'M', thumb_media_id: 'T', title: 't', description: 'd' } },
    ],
    [
      'music',
      { touser: 'O', msgtype: 'music', music: { title: 't', description: 'd', musicurl: 'u', hqmusicurl: 'h', thumb_media_id: 'T' } },
      { music: { title: 't', description: 'd', musicurl: 'u', hqmusicurl: 'h', thumb_media_id: 'T' } },
    ],
    [
      'news',
      { touser: 'O', msgtype: 'news', news: { articles: [{ title: 't', description: 'd', url: 'u', picurl: 'p' }] } },
      { news: { articles: [{ title: 't', description: 'd', url: 'u', picurl: 'p' }] } },
    ],
    ['mpnews', { touser: 'O', msgtype: 'mpnews', mpnews: { media_id: 'M' } }, { mpnews: { media_id: 'M' } }],
    ['mpnewsarticle', { touser: 'O', msgtype: 'mpnewsarticle', mpnewsarticle: { article_id: 'A' } }, { mpnewsarticle: { article_id: 'A' } }],
    [
      'msgmenu',
      { touser: 'O', msgtype: 'msgmenu', msgmenu: { head_content: 'h', list: [{ id: '101', content: '满意' }], tail_content: 't' } },
      { msgmenu: { head_content: 'h', list: [{ id: '101', content: '满意' }], tail_content: 't' } },
    ],
    ['wxcard', { touser: 'O', msgtype: 'wxcard', wxcard: { card_id: 'C' } }, { wxcard: { card_id: 'C' } }],
    [
      'miniprogrampage',
      { touser: 'O', msgtype: 'miniprogrampage', miniprogrampage: { title: 't', appid: 'wxa', pagepath: 'p', thumb_media_id: 'T' } },
      { miniprogrampage: { title: 't', appid: 'wxa', pagepath: 'p', thumb_media_id: 'T' } },
    ],
  ];

  it.each(messages)('sends %s in the documented JSON shape', async (msgtype, msg, payload) => {
    const { fake, api } = await setup({ 'POST /cgi-bin/message/custom/send': ok });
    await api.sendCustomMessage(msg);
    expect(shapes(fake)).toEqual([{ method: 'POST', path: '/cgi-bin/message/custom/send', query: T, json: { touser: 'O', msgtype, ...payload } }]);
  });

  it('adds customservice.kf_account when sent as an agent', async () => {
    const { fake, api } = await setup({ 'POST /cgi-bin/message/custom/send': ok });
    await api.sendCustomMessage({ touser: 'OPENID', msgtype: 'text', text: { content: 'Hello World' }, kfAccount: 'test1@kftest' });
    expect(fake.apiCalls()[0]!.json).toEqual({
      touser: 'OPENID',
      msgtype: 'text',
      text: { content: 'Hello World' },
      customservice: { kf_account: 'test1@kftest' },
    });
  });

  it('surfaces the send-window error 45015', async () => {
    const { api } = await setup({
      'POST /cgi-bin/message/custom/send': () => ({ json: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled rid: 1-2-3' } }),
    });
    await expect(api.sendCustomMessage({ touser: 'O', msgtype: 'text', text: { content: 'x' } })).rejects.toMatchObject({
      errcode: 45015,
      errmsg: 'response out of time limit or subscription is canceled',
    });
  });

  it('sends Typing and CancelTyping', async () => {
    const { fake, api } = await setup({ 'POST /cgi-bin/message/custom/typing': ok });
    await api.sendTyping('OPENID', 'Typing');
    await api.sendTyping('OPENID', 'CancelTyping');
    expect(shapes(fake)).toEqual([
      { method: 'POST', path: '/cgi-bin/message/custom/typing', query: T, json: { touser: 'OPENID', command: 'Typing' } },
      { method: 'POST', path: '/cgi-bin/message/custom/typing', query: T, json: { touser: 'OPENID', command: 'CancelTyping' } },
    ]);
  });
});

describe('KfApi QR codes', () => {
  it('creates a temporary string-scene QR code', async () => {
    const { fake, api } = await setup({
      'POST /cgi-bin/qrcode/create': () => ({ json: { ticket: 'gQH47joAAAAAAAAAASxodHRw==', expire_seconds: 604800, url: 'http://weixin.qq.com/q/kZgfwMTm72WWPkovabbI' } }),
    });
    const qr = await api.createTempQrcode({ sceneStr: 'agent-42', expireSeconds: 604800 });
    expect(qr.ticket).toBe('gQH47joAAAAAAAAAASxodHRw==');
    expect(shapes(fake)).toEqual([
      {
        method: 'POST',
        path: '/cgi-bin/qrcode/create',
        query: T,
        json: { expire_seconds: 604800, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'agent-42' } } },
      },
    ]);
  });

  it('defaults to the 30-day maximum and refuses out-of-range input before calling WeChat', async () => {
    const { fake, api } = await setup({ 'POST /cgi-bin/qrcode/create': () => ({ json: { ticket: 'T' } }) });
    await api.createTempQrcode({ sceneStr: 's' });
    expect(fake.apiCalls()[0]!.json).toMatchObject({ expire_seconds: 2592000 });
    await expect(api.createTempQrcode({ sceneStr: '' })).rejects.toThrow(RangeError);
    await expect(api.createTempQrcode({ sceneStr: 'x'.repeat(65) })).rejects.toThrow(RangeError);
    await expect(api.createTempQrcode({ sceneStr: 's', expireSeconds: 2592001 })).rejects.toThrow(RangeError);
    expect(fake.apiCalls()).toHaveLength(1);
  });

  it('builds the showqrcode URL with the ticket URL-encoded', () => {
    expect(showQrcodeUrl('gQH4/jo+AA==')).toBe('https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQH4%2Fjo%2BAA%3D%3D');
    expect(new KfApi(new WechatClient({ appId: 'a', appSecret: 'b' })).showQrcodeUrl('a b')).toBe(
      'https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=a%20b',
    );
  });
});
