import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken, readyAgent } from '../test-support';

let sim: WechatSim;
let token: string;

beforeEach(async () => {
  sim = await startWechatSim();
  token = await classicToken(sim);
});
afterEach(() => sim.close());

const sendText = (touser: string, content = 'hi', extra: Record<string, unknown> = {}) =>
  apiCall(sim, '/cgi-bin/message/custom/send', { token, body: { touser, msgtype: 'text', text: { content }, ...extra } });
const typing = (touser: string, command: string) =>
  apiCall(sim, '/cgi-bin/message/custom/typing', { token, body: { touser, command } });
const codes = async (n: number, touser: string) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await sendText(touser, `m${i}`)).errcode);
  return out;
};

describe('custom/send budget', () => {
  it('allows 5 messages within 48 h of a follower message, then 45047', async () => {
    await sim.follower('fan').sendText('hello');
    expect(await codes(6, 'fan')).toEqual([0, 0, 0, 0, 0, 45047]);
    expect(sim.follower('fan').inbox().map((d) => d.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('answers 45015 once 48 h have passed since the follower’s message', async () => {
    await sim.follower('fan').sendText('hello');
    sim.clock.advance(48 * 3600_000);
    token = await classicToken(sim);
    expect((await sendText('fan')).errcode).toBe(45015);
  });

  it('a new follower message resets the budget to 5 rather than adding to it', async () => {
    await sim.follower('fan').sendText('hello');
    await codes(3, 'fan');
    await sim.follower('fan').sendText('again');
    expect(await codes(6, 'fan')).toEqual([0, 0, 0, 0, 0, 45047]);
  });

  it.each([
    ['a follow', (s: WechatSim) => s.follower('fan').subscribe()],
    ['a QR scan', (s: WechatSim) => s.follower('fan').scan('42')],
    ['a menu click', (s: WechatSim) => s.follower('fan').click('MENU_HELP')],
  ])('allows 3 messages in the minute after %s', async (_name, trigger) => {
    await trigger(sim);
    expect(await codes(4, 'fan')).toEqual([0, 0, 0, 45047]);
    sim.clock.advance(60_000);
    expect((await sendText('fan')).errcode).toBe(45015);
  });

  it('does not open a window for a VIEW menu event', async () => {
    sim.follower('fan');
    await sim.follower('fan').sendEvent('VIEW', { EventKey: 'https://example.com' });
    expect((await sendText('fan')).errcode).toBe(45015);
  });

  it('keeps the 48-hour window of a message when a menu click comes later', async () => {
    await sim.follower('fan').sendText('hello');
    await sim.follower('fan').click('MENU');
    sim.clock.advance(2 * 60_000);
    expect((await sendText('fan')).errcode).toBe(0);
  });

  it('answers 43004 after the follower unsubscribes and 40003 for an unknown openid', async () => {
    await sim.follower('fan').sendText('hello');
    await sim.follower('fan').unsubscribe();
    expect((await sendText('fan')).errcode).toBe(43004);
    expect((await sendText('nobody')).errcode).toBe(40003);
  });

  it('with anyoneReachable (benchmarks), sends to any openid without a budget, but not after an unsubscribe', async () => {
    const bench = await startWechatSim({ anyoneReachable: true });
    try {
      const benchToken = await classicToken(bench);
      const send = (touser: string) =>
        apiCall(bench, '/cgi-bin/message/custom/send', { token: benchToken, body: { touser, msgtype: 'text', text: { content: 'q' } } });
      const codesOf = async (touser: string) => Promise.all(Array.from({ length: 7 }, () => send(touser).then((r) => r.errcode)));
      expect(await codesOf('never_seen')).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect(bench.follower('never_seen').inbox()).toHaveLength(7);
      await bench.follower('gone').unsubscribe();
      expect((await send('gone')).errcode).toBe(43004);
    } finally {
      await bench.close();
    }
  });

  it('checks the payload: empty text, two news articles, unknown msgtype', async () => {
    await sim.follower('fan').sendText('hello');
    expect((await sendText('fan', '')).errcode).toBe(44004);
    const news = { touser: 'fan', msgtype: 'news', news: { articles: [{ title: 'a' }, { title: 'b' }] } };
    expect((await apiCall(sim, '/cgi-bin/message/custom/send', { token, body: news })).errcode).toBe(45008);
    const odd = { touser: 'fan', msgtype: 'hologram', hologram: {} };
    expect((await apiCall(sim, '/cgi-bin/message/custom/send', { token, body: odd })).errcode).toBe(40008);
  });

  it('delivers as the agent named in customservice.kf_account', async () => {
    const alice = await readyAgent(sim, token, 'alice');
    await sim.follower('fan').sendText('hello');
    expect((await sendText('fan', 'from alice', { customservice: { kf_account: alice } })).errcode).toBe(0);
    expect(sim.follower('fan').inbox()[0]).toMatchObject({ source: 'custom', text: 'from alice', kfAccount: alice });
  });

  it('answers 47001 for a body that is not JSON and 44002 for an empty one', async () => {
    const url = `${sim.url}/cgi-bin/message/custom/send?access_token=${token}`;
    expect(((await (await fetch(url, { method: 'POST', body: '{nope' })).json()) as { errcode: number }).errcode).toBe(47001);
    expect(((await (await fetch(url, { method: 'POST' })).json()) as { errcode: number }).errcode).toBe(44002);
  });
});

describe('custom/typing', () => {
  it('needs an interaction in the last 30 s (45080) and cannot repeat within 15 s (45081)', async () => {
    await sim.follower('fan').sendText('hello');
    expect((await typing('fan', 'Typing')).errcode).toBe(0);
    expect((await typing('fan', 'Typing')).errcode).toBe(45081);
    sim.clock.advance(15_000);
    expect((await typing('fan', 'Typing')).errcode).toBe(0);
    sim.clock.advance(16_000);
    expect((await typing('fan', 'Typing')).errcode).toBe(45080);
  });

  it('is cancelled by a message and by CancelTyping; rejects other commands with 45072', async () => {
    await sim.follower('fan').sendText('hello');
    await typing('fan', 'Typing');
    await sendText('fan');
    expect((await typing('fan', 'Typing')).errcode).toBe(0);
    expect((await typing('fan', 'CancelTyping')).errcode).toBe(0);
    expect((await typing('fan', 'Typing')).errcode).toBe(0);
    expect((await typing('fan', 'Dancing')).errcode).toBe(45072);
  });

  it('answers 45015 outside the send window', async () => {
    sim.follower('fan');
    await sim.follower('fan').sendEvent('VIEW', { EventKey: 'https://example.com' });
    expect((await typing('fan', 'Typing')).errcode).toBe(45015);
  });
});

describe('qrcode/create', () => {
  const create = (body: unknown) => apiCall(sim, '/cgi-bin/qrcode/create', { token, body });

  it('creates a temporary string-scene code with its expiry, and a permanent one without', async () => {
    const temp = await create({ expire_seconds: 600, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'bind:1' } } });
    expect(temp).toEqual({ ticket: expect.any(String), expire_seconds: 600, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    const permanent = await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 7 } } });
    expect(permanent).not.toHaveProperty('expire_seconds');
  });

  it('defaults to 60 s and caps at 30 days', async () => {
    const scene = { scene: { scene_id: 5 } };
    expect((await create({ action_name: 'QR_SCENE', action_info: scene })).expire_seconds).toBe(60);
    expect((await create({ expire_seconds: 9_999_999, action_name: 'QR_SCENE', action_info: scene })).expire_seconds).toBe(2_592_000);
  });

  it('rejects an unknown action and a bad scene with 40053', async () => {
    expect((await create({ action_name: 'QR_MAGIC', action_info: { scene: { scene_id: 1 } } })).errcode).toBe(40053);
    expect((await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100_001 } } })).errcode).toBe(40053);
    expect((await create({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: '' } } })).errcode).toBe(40053);
  });
});
