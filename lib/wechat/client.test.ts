import { afterEach, describe, expect, it, vi } from 'vitest';
import { WechatClient, type WechatClientOptions } from './client';
import { WechatApiError, WechatNetworkError, WechatProtocolError } from './errors';
import { startFakeWechat, type FakeRoute, type FakeWechat } from './testdata/fake-wechat';
import { MemoryTokenStore, type TokenStore } from './token-store';

const SECRET = 'SECRET-9f8e7d6c5b4a';
let fake: FakeWechat | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(routes: Record<string, FakeRoute>, opts: Partial<WechatClientOptions> = {}) {
  fake = await startFakeWechat(routes);
  const client = new WechatClient({ appId: 'wx123', appSecret: SECRET, baseUrl: fake.baseUrl, ...opts });
  return { fake, client };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(err: Error, ...secrets: string[]) {
  const text = `${err.message} ${String(err.cause)} ${JSON.stringify(err)} ${err.stack ?? ''}`;
  for (const s of secrets) expect(text).not.toContain(s);
}

const ok: FakeRoute = () => ({ json: { errcode: 0, errmsg: 'ok' } });

describe('WechatClient tokens', () => {
  it('fetches a stable token by JSON POST and sends it as access_token', async () => {
    const { fake, client } = await setup({ 'GET /x': () => ({ json: { value: 1 } }) });
    expect(await client.get('/x', { a: 'b' })).toEqual({ value: 1 });
    const [token, call] = fake.requests;
    expect(token).toMatchObject({
      method: 'POST',
      path: '/cgi-bin/stable_token',
      query: {},
      json: { grant_type: 'client_credential', appid: 'wx123', secret: SECRET, force_refresh: false },
    });
    expect(call).toMatchObject({ method: 'GET', path: '/x', query: { a: 'b', access_token: 'TOKEN1' } });
  });

  it('fetches a classic token by GET when asked', async () => {
    const { fake, client } = await setup({ 'GET /x': ok }, { tokenMode: 'classic' });
    await client.get('/x');
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: '/cgi-bin/token',
      query: { grant_type: 'client_credential', appid: 'wx123', secret: SECRET },
    });
  });

  it('reuses one token across calls and fetches once for concurrent calls', async () => {
    const { fake, client } = await setup({ 'GET /x': ok });
    await Promise.all([client.get('/x'), client.get('/x'), client.get('/x')]);
    await client.get('/x');
    expect(fake.tokensIssued()).toBe(1);
  });

  it('asks the store for a token valid 5 minutes ahead by default', async () => {
    const store = new MemoryTokenStore();
    const spy = vi.spyOn(store, 'getToken');
    const { client } = await setup({ 'GET /x': ok }, { tokenStore: store });
    await client.get('/x');
    expect(spy).toHaveBeenCalledWith('wx123', expect.any(Function), 300_000);
  });

  it.each([40001, 42001, 40014])('on %i expires only the failed token and retries once', async (errcode) => {
    const store = new MemoryTokenStore();
    const invalidate = vi.spyOn(store, 'invalidate');
    const route: FakeRoute = (req) =>
      req.query.access_token === 'TOKEN1' ? { json: { errcode, errmsg: 'bad token rid: 1-2-3' } } : { json: { n: 2 } };
    const { fake, client } = await setup({ 'POST /x': route }, { tokenStore: store });
    expect(await client.post('/x', { a: 1 })).toEqual({ n: 2 });
    expect(invalidate).toHaveBeenCalledExactlyOnceWith('wx123', 'TOKEN1');
    expect(fake.apiCalls().map((r) => [r.query.access_token, r.json])).toEqual([
      ['TOKEN1', { a: 1 }],
      ['TOKEN2', { a: 1 }],
    ]);
  });

  it('gives up after one retry when the new token is refused too', async () => {
    const { fake, client } = await setup({ 'GET /x': () => ({ json: { errcode: 42001, errmsg: 'access_token expired' } }) });
    const err = await caught(client.get('/x'));
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).errcode).toBe(42001);
    expect(fake.apiCalls()).toHaveLength(2);
  });

  it('reports a token fetch error as WechatApiError without the secret', async () => {
    const { client } = await setup({ 'POST /cgi-bin/stable_token': () => ({ json: { errcode: 40125, errmsg: 'invalid appsecret rid: a-b-c' } }) });
    const err = await caught(client.get('/x'));
    expect(err).toMatchObject({ errcode: 40125, errmsg: 'invalid appsecret', path: '/cgi-bin/stable_token' });
    expectNoSecrets(err, SECRET);
  });

  it('refuses a token response without access_token', async () => {
    const { client } = await setup({ 'POST /cgi-bin/stable_token': () => ({ json: { expires_in: 7200 } }) });
    const err = await caught(client.getAccessToken());
    expect(err).toBeInstanceOf(WechatProtocolError);
    expect((err as WechatProtocolError).code).toBe('bad_response');
  });

  it('works through any TokenStore implementation', async () => {
    const store: TokenStore = { getToken: async () => 'FROM_DB', invalidate: async () => undefined };
    const { fake, client } = await setup({ 'GET /x': ok }, { tokenStore: store });
    await client.get('/x');
    expect(fake.requests.map((r) => r.query.access_token)).toEqual(['FROM_DB']);
  });
});

describe('WechatClient responses', () => {
  it('decides errors by errcode, not errmsg, and strips the trace suffix', async () => {
    const { client } = await setup({
      'POST /send': () => ({ json: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled rid: 6582-77-44' } }),
      'GET /weird': () => ({ json: { errcode: 0, errmsg: 'some error text' } }),
    });
    const err = (await caught(client.post('/send', {}))) as WechatApiError;
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err.errcode).toBe(45015);
    expect(err.errmsg).toBe('response out of time limit or subscription is canceled');
    expect(err.meaning.en).toMatch(/reply window/);
    expect(err.path).toBe('/send');
    expect(await client.get('/weird')).toEqual({ errcode: 0, errmsg: 'some error text' });
  });

  it('sends JSON with UTF-8 Chinese unescaped', async () => {
    const { fake, client } = await setup({ 'POST /x': ok });
    await client.post('/x', { content: '你好' });
    const call = fake.apiCalls()[0]!;
    expect(call.contentType).toMatch(/^application\/json/);
    expect(call.body.toString('utf8')).toBe('{"content":"你好"}');
  });

  it('posts multipart with the file under "media"', async () => {
    const { fake, client } = await setup({ 'POST /up': ok });
    await client.postMultipart('/up', { filename: 'a.jpg', contentType: 'image/jpeg', data: Buffer.from('JPEGDATA') }, { k: 'v' });
    const call = fake.apiCalls()[0]!;
    expect(call.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.query).toEqual({ k: 'v', access_token: 'TOKEN1' });
    const body = call.body.toString('latin1');
    expect(body).toContain('Content-Disposition: form-data; name="media"; filename="a.jpg"');
    expect(body).toContain('Content-Type: image/jpeg');
    expect(body).toContain('JPEGDATA');
  });

  it('keeps a path prefix in baseUrl', async () => {
    fake = await startFakeWechat({ 'GET /sim/x': ok, 'POST /sim/cgi-bin/stable_token': () => ({ json: { access_token: 'P', expires_in: 7200 } }) });
    const client = new WechatClient({ appId: 'wx', appSecret: 's', baseUrl: `${fake.baseUrl}/sim/` });
    await client.get('/x');
    expect(fake.requests.map((r) => r.path)).toEqual(['/sim/cgi-bin/stable_token', '/sim/x']);
  });

  it('defaults to https://api.weixin.qq.com', async () => {
    const urls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ access_token: 'T', expires_in: 7200 }));
    };
    await new WechatClient({ appId: 'wx', appSecret: 's', fetch: fetchSpy }).get('/cgi-bin/customservice/getkflist');
    expect(urls.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual([
      'https://api.weixin.qq.com/cgi-bin/stable_token',
      'https://api.weixin.qq.com/cgi-bin/customservice/getkflist',
    ]);
  });
});

describe('WechatClient failures', () => {
  it('times out with code timeout, naming the path but not the token', async () => {
    const { client } = await setup({ 'GET /slow': () => ({ delayMs: 300, json: {} }) }, { timeoutMs: 50 });
    await client.getAccessToken();
    const err = await caught(client.get('/slow'));
    expect(err).toBeInstanceOf(WechatNetworkError);
    expect((err as WechatNetworkError).code).toBe('timeout');
    expect(err.message).toContain('/slow');
    expectNoSecrets(err, 'TOKEN1', SECRET);
  });

  it('lets one call use its own timeout', async () => {
    const { client } = await setup({ 'GET /slow': () => ({ delayMs: 300, json: {} }) });
    const err = await caught(client.get('/slow', undefined, { timeoutMs: 50 }));
    expect((err as WechatNetworkError).code).toBe('timeout');
  });

  it.each([500, 502, 503, 404])('reports HTTP %i as http_status', async (status) => {
    const { client } = await setup({ 'GET /x': () => ({ status, text: 'upstream error' }) });
    const err = await caught(client.get('/x'));
    expect(err).toMatchObject({ name: 'WechatNetworkError', code: 'http_status', status, path: '/x' });
    expectNoSecrets(err, 'TOKEN1', SECRET);
  });

  it('reports a refused connection as network without the secret', async () => {
    const { fake: f, client } = await setup({});
    await f.close();
    fake = undefined;
    const err = await caught(client.get('/x'));
    expect(err).toMatchObject({ name: 'WechatNetworkError', code: 'network' });
    expectNoSecrets(err, SECRET);
  });

  it.each([
    ['HTML', '<html>gateway</html>'],
    ['a JSON array', '[1,2]'],
  ])('refuses %s instead of JSON with bad_response', async (_label, text) => {
    const { client } = await setup({ 'GET /x': () => ({ text }) });
    const err = await caught(client.get('/x'));
    expect(err).toMatchObject({ name: 'WechatProtocolError', code: 'bad_response' });
  });

  it('refuses an invalid baseUrl when constructed', () => {
    expect(() => new WechatClient({ appId: 'wx', appSecret: 's', baseUrl: 'not a url' })).toThrow();
  });
});
