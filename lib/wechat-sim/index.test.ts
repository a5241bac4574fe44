import { afterEach, describe, expect, it } from 'vitest';
import { sharedWechatSim, startWechatSim, type WechatSim } from './index';
import { apiCall, classicToken, readyAgent, startWebhook } from './test-support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function started(opts: Parameters<typeof startWechatSim>[0] = {}): Promise<WechatSim> {
  const sim = await startWechatSim(opts);
  cleanups.push(() => sim.close());
  return sim;
}

describe('startWechatSim', () => {
  it('generates credentials wekf accepts and listens on a free local port', async () => {
    const sim = await started();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.credentials.appId).toMatch(/^wx[0-9a-f]{16}$/);
    expect(sim.credentials.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(sim.credentials.encodingAESKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(sim.credentials.originalId).toMatch(/^gh_[0-9a-f]{12}$/);
  });

  it('takes fixed credentials and a time source', async () => {
    const sim = await started({ appId: 'wxfixed01', appSecret: 'secret', now: () => 1_700_000_000_000 });
    expect(sim.credentials.appId).toBe('wxfixed01');
    expect(sim.clock.now()).toBe(1_700_000_000_000);
    sim.clock.advance(5000);
    expect(sim.clock.now()).toBe(1_700_000_005_000);
  });

  it('refuses a bad EncodingAESKey, a zero attempt count and a webhook that is not http(s)', async () => {
    await expect(startWechatSim({ webhookUrl: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(startWechatSim({ encodingAESKey: 'short' })).rejects.toThrow(/43/);
    await expect(startWechatSim({ pushAttempts: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('close() aborts pushes in flight so nothing keeps the process alive', async () => {
    const webhook = await startWebhook(() => ({ body: 'success', delayMs: 30_000 }));
    cleanups.push(() => webhook.close());
    const sim = await startWechatSim({ webhookUrl: webhook.url });
    const pending = sim.follower('fan').sendText('hi');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await sim.close();
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.route === 'webhook' && result.push.attempts).toHaveLength(1);
  });
});

describe('sandbox helpers', () => {
  it('sharedWechatSim hands every caller the same simulator', async () => {
    const first = sharedWechatSim();
    const second = sharedWechatSim({ port: 1 });
    expect(second).toBe(first);
    const sim = await first;
    cleanups.push(() => sim.close());
    expect(sim.url).toMatch(/^http:/);
  });

  it('onDelivery reports what reaches a follower until unsubscribed', async () => {
    const sim = await started();
    const token = await classicToken(sim);
    const seen: string[] = [];
    const stop = sim.onDelivery((d) => seen.push(`${d.source}:${d.text}`));
    await sim.follower('fan').sendText('hi');
    await apiCall(sim, '/cgi-bin/message/custom/send', {
      token,
      body: { touser: 'fan', msgtype: 'text', text: { content: 'queued #1' } },
    });
    stop();
    await apiCall(sim, '/cgi-bin/message/custom/send', {
      token,
      body: { touser: 'fan', msgtype: 'text', text: { content: 'unseen' } },
    });
    expect(seen).toEqual(['custom:queued #1']);
  });

  it('snapshot shows followers, agents, sessions and the send window', async () => {
    const sim = await started();
    const token = await classicToken(sim);
    const alice = await readyAgent(sim, token, 'alice');
    await sim.follower('fan').sendText('hi');
    await apiCall(sim, '/customservice/kfsession/create', { token, body: { kf_account: alice, openid: 'fan' } });
    const snapshot = sim.snapshot();
    const [fan] = snapshot.followers;
    expect(fan).toMatchObject({ openid: 'fan', subscribed: true, sendWindow: { remaining: 5 } });
    expect(fan!.sendWindow.expiresAt).toBe(fan!.lastInteractionAt! + 48 * 3600_000);
    expect(snapshot.accounts).toMatchObject([{ kfAccount: alice, boundWx: 'wx_alice_person', online: true, acceptedCase: 1 }]);
    expect(snapshot.sessions).toMatchObject([{ openid: 'fan', kfAccount: alice }]);
  });
});
