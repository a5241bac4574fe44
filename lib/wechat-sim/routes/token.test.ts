import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken } from '../test-support';

const RID = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;
let sim: WechatSim;

beforeEach(async () => {
  sim = await startWechatSim();
});
afterEach(() => sim.close());

const stable = (body: Record<string, unknown>) =>
  apiCall(sim, '/cgi-bin/stable_token', {
    body: { grant_type: 'client_credential', appid: sim.credentials.appId, secret: sim.credentials.appSecret, ...body },
  });
const getkflist = (token: string | undefined) => apiCall(sim, '/cgi-bin/customservice/getkflist', { token });

describe('classic token', () => {
  it('returns a long token valid for 7200 s that opens the other APIs', async () => {
    const { appId, appSecret } = sim.credentials;
    const json = await apiCall(sim, '/cgi-bin/token', {
      query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
    });
    expect(json.expires_in).toBe(7200);
    expect(json.access_token.length).toBeGreaterThan(100);
    expect(await getkflist(json.access_token)).toEqual({ kf_list: [] });
  });

  it('keeps a replaced token working for 5 minutes, then answers 40001', async () => {
    const first = await classicToken(sim);
    sim.clock.advance(60_000);
    const second = await classicToken(sim);
    sim.clock.advance(4 * 60_000);
    expect((await getkflist(first)).kf_list).toEqual([]);
    sim.clock.advance(60_000);
    expect((await getkflist(first)).errcode).toBe(40001);
    expect((await getkflist(second)).kf_list).toEqual([]);
  });

  it('answers 42001 once the token has expired', async () => {
    const token = await classicToken(sim);
    sim.clock.advance(7200_000);
    const json = await getkflist(token);
    expect(json.errcode).toBe(42001);
    expect(json.errmsg).toMatch(/^access_token expired rid: /);
  });

  it('answers 41001 without a token and 40001 for an unknown one, each with a rid', async () => {
    const missing = await getkflist(undefined);
    expect(missing.errcode).toBe(41001);
    expect(missing.errmsg).toMatch(RID);
    expect((await getkflist('not-a-token')).errcode).toBe(40001);
  });

  it('rejects a wrong appid (40013), a wrong secret (40001), and a bad grant_type (40002)', async () => {
    const { appId, appSecret } = sim.credentials;
    const call = (query: Record<string, string>) => apiCall(sim, '/cgi-bin/token', { query });
    expect((await call({ grant_type: 'client_credential', appid: 'wxnope', secret: appSecret })).errcode).toBe(40013);
    expect((await call({ grant_type: 'client_credential', appid: appId, secret: 'nope' })).errcode).toBe(40001);
    expect((await call({ grant_type: 'password', appid: appId, secret: appSecret })).errcode).toBe(40002);
    expect((await call({ grant_type: 'client_credential', secret: appSecret })).errcode).toBe(41002);
  });

  it('stops after 2000 fetches in a day and starts again the next day', async () => {
    for (let i = 0; i < 2000; i++) await classicToken(sim);
    await expect(classicToken(sim)).rejects.toThrow(/45009/);
    sim.clock.advance(86_400_000);
    await expect(classicToken(sim)).resolves.toBeTypeOf('string');
  }, 60_000);
});

describe('stable token', () => {
  it('hands out the same token until 5 minutes before expiry, then rotates', async () => {
    const first = await stable({});
    expect((await stable({})).access_token).toBe(first.access_token);
    sim.clock.advance(7200_000 - 300_000);
    const rotated = await stable({});
    expect(rotated.access_token).not.toBe(first.access_token);
    expect(rotated.expires_in).toBe(7200);
    expect((await getkflist(first.access_token)).kf_list).toEqual([]);
  });

  it('lives apart from the classic token: fetching one never invalidates the other', async () => {
    const stableToken = (await stable({})).access_token;
    const classic = await classicToken(sim);
    await classicToken(sim);
    sim.clock.advance(6 * 60_000);
    expect((await getkflist(stableToken)).kf_list).toEqual([]);
    expect((await getkflist(classic)).errcode).toBe(40001);
  });

  it('force_refresh replaces the token; two forced refreshes 30 s apart kill the oldest', async () => {
    const leaked = (await stable({})).access_token;
    const forced = await stable({ force_refresh: true });
    expect(forced.access_token).not.toBe(leaked);
    expect((await getkflist(leaked)).kf_list).toEqual([]);
    sim.clock.advance(30_000);
    const again = await stable({ force_refresh: true });
    expect(again.access_token).not.toBe(forced.access_token);
    expect((await getkflist(leaked)).errcode).toBe(40001);
    expect((await getkflist(forced.access_token)).kf_list).toEqual([]);
  });

  it('ignores a forced refresh less than 30 s after the last one', async () => {
    const forced = await stable({ force_refresh: true });
    sim.clock.advance(10_000);
    expect((await stable({ force_refresh: true })).access_token).toBe(forced.access_token);
  });

  it('allows 20 forced refreshes a day, then answers 45009', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await stable({ force_refresh: true })).access_token).toBeTypeOf('string');
      sim.clock.advance(30_000);
    }
    expect((await stable({ force_refresh: true })).errcode).toBe(45009);
  });

  it('needs POST (43002) and rejects a wrong secret with 40125', async () => {
    expect((await apiCall(sim, '/cgi-bin/stable_token', { method: 'GET' })).errcode).toBe(43002);
    expect((await stable({ secret: 'wrong' })).errcode).toBe(40125);
    expect((await stable({ appid: 'wx0000' })).errcode).toBe(40013);
  });
});

describe('IP allow-list', () => {
  it('answers 40164 naming the caller when it is not listed', async () => {
    sim.setIpAllowList(['10.1.2.3']);
    const json = await stable({});
    expect(json.errcode).toBe(40164);
    expect(json.errmsg).toMatch(/^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /);
    sim.setIpAllowList(['127.0.0.1']);
    expect((await stable({})).access_token).toBeTypeOf('string');
  });
});
