import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseXml } from '../wechat/xml';
import { startWechatSim, type WechatSim } from './index';
import { apiCall, classicToken, readyAgent, startWebhook, transferReply, type TestWebhook } from './test-support';

let sim: WechatSim;
let webhook: TestWebhook;
let token: string;
let alice: string;
let bob: string;
/** kf_account the webhook names in TransInfo, when a test wants routing. */
let routeTo: string | undefined;

beforeEach(async () => {
  routeTo = undefined;
  // Like wekf: every text is handed to customer service; events are acknowledged.
  webhook = await startWebhook((req) => {
    const fields = parseXml(req.body);
    return fields.MsgType === 'text' ? transferReply(String(fields.FromUserName), routeTo) : 'success';
  });
  sim = await startWechatSim({ webhookUrl: webhook.url });
  token = await classicToken(sim);
  alice = await readyAgent(sim, token, 'alice');
  bob = await readyAgent(sim, token, 'bob');
});
afterEach(async () => {
  await sim.close();
  await webhook.close();
});

const pushed = () => webhook.requests.map((r) => parseXml(r.body));
const kfEvents = () => pushed().filter((f) => String(f.Event ?? '').startsWith('kf_'));
const recordTexts = () => sim.snapshot().records.map((r) => `${r.opercode} ${r.text}`);

describe('waiting', () => {
  it('a transfer reply queues the follower; later messages still reach the webhook while waiting', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.follower('fan').sendText('anyone there?');
    expect(webhook.requests).toHaveLength(2);
    expect(sim.queue()).toMatchObject([{ openid: 'fan', kfAccount: undefined, messages: [{ text: '客服' }, { text: 'anyone there?' }] }]);
    const waitcase = await apiCall(sim, '/customservice/kfsession/getwaitcase', { token });
    expect(waitcase).toEqual({ count: 1, waitcaselist: [{ latest_time: expect.any(Number), openid: 'fan' }] });
  });

  it('ignores a transfer reply to an event', async () => {
    const eventWebhook = await startWebhook(() => transferReply('fan'));
    sim.setWebhook(eventWebhook.url);
    await sim.follower('fan').click('MENU');
    expect(sim.queue()).toEqual([]);
    await eventWebhook.close();
  });

  it('unfollowing leaves the queue', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.follower('fan').unsubscribe();
    expect(sim.queue()).toEqual([]);
  });
});

describe('accepted', () => {
  it('accept pushes kf_create_session and the agent reads what was written while waiting', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice);
    expect(kfEvents()).toEqual([expect.objectContaining({ Event: 'kf_create_session', KfAccount: alice, FromUserName: 'fan' })]);
    expect(sim.queue()).toEqual([]);
    expect(recordTexts()).toEqual(['2003 客服']);
  });

  it('while accepted, follower messages go to the agent (2003), not the webhook', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice, 'fan');
    const before = webhook.requests.length;
    expect(await sim.follower('fan').sendText('my order is late')).toEqual({ route: 'agent' });
    expect(webhook.requests).toHaveLength(before);
    expect(recordTexts()).toEqual(['2003 客服', '2003 my order is late']);
  });

  it('agent messages reach the follower’s inbox and the records as 2002', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice);
    await sim.agents.send(alice, 'fan', 'How can I help?');
    expect(sim.follower('fan').inbox()).toMatchObject([{ source: 'agent', text: 'How can I help?', kfAccount: alice }]);
    expect(recordTexts()).toContain('2002 How can I help?');
  });

  it('switch pushes kf_switch_session and moves the session to the other agent', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice);
    await sim.agents.switchTo(alice, 'fan', bob);
    expect(kfEvents().at(-1)).toMatchObject({ Event: 'kf_switch_session', FromKfAccount: alice, ToKfAccount: bob });
    expect((await apiCall(sim, '/customservice/kfsession/getsession', { token, query: { openid: 'fan' } })).kf_account).toBe(bob);
    await expect(sim.agents.send(alice, 'fan', 'still me?')).rejects.toMatchObject({ code: 'no_session' });
  });

  it('close pushes kf_close_session and the next message goes to the webhook again', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice);
    await sim.agents.close(alice, 'fan');
    expect(kfEvents().at(-1)).toMatchObject({ Event: 'kf_close_session', KfAccount: alice });
    expect((await sim.follower('fan').sendText('thanks')).route).toBe('webhook');
  });

  it('after 30 idle minutes forwarding stops silently and messages reach the webhook', async () => {
    await sim.follower('fan').sendText('客服');
    await sim.agents.accept(alice);
    sim.clock.advance(29 * 60_000);
    expect((await sim.follower('fan').sendText('still here')).route).toBe('agent');
    sim.clock.advance(30 * 60_000);
    const eventsBefore = kfEvents().length;
    expect((await sim.follower('fan').sendText('hello?')).route).toBe('webhook');
    expect(kfEvents()).toHaveLength(eventsBefore);
    expect(sim.snapshot().sessions).toEqual([]);
  });
});

describe('who may accept', () => {
  it('TransInfo/KfAccount routes the follower to that agent only', async () => {
    routeTo = bob;
    await sim.follower('fan').sendText('客服');
    expect(sim.queue()[0]!.kfAccount).toBe(bob);
    await expect(sim.agents.accept(alice)).rejects.toMatchObject({ code: 'no_waiting_follower' });
    await expect(sim.agents.accept(alice, 'fan')).rejects.toMatchObject({ code: 'routed_to_other_agent' });
    await sim.agents.accept(bob);
    expect(kfEvents()).toMatchObject([{ Event: 'kf_create_session', KfAccount: bob }]);
  });

  it('takes followers in arrival order', async () => {
    await sim.follower('first').sendText('客服');
    await sim.follower('second').sendText('客服');
    await sim.agents.accept(alice);
    expect(sim.queue().map((w) => w.openid)).toEqual(['second']);
  });

  it('an offline agent cannot accept, and nobody waiting is an error', async () => {
    await sim.agents.setOnline(alice, false);
    await sim.follower('fan').sendText('客服');
    await expect(sim.agents.accept(alice)).rejects.toMatchObject({ code: 'agent_offline' });
    await sim.agents.accept(bob);
    await expect(sim.agents.accept(bob)).rejects.toMatchObject({ code: 'no_waiting_follower' });
    await expect(sim.agents.accept(bob, 'fan')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(sim.agents.accept(alice, 'fan')).rejects.toMatchObject({ code: 'agent_offline' });
    await sim.agents.setOnline(alice, true);
    await expect(sim.agents.accept(alice, 'fan')).rejects.toMatchObject({ code: 'served_by_other_agent' });
    await expect(sim.agents.accept(alice, 'nobody')).rejects.toMatchObject({ code: 'no_waiting_follower' });
  });

  it('kfsession/create over the API takes a waiting follower and pushes kf_create_session', async () => {
    await sim.follower('fan').sendText('客服');
    const json = await apiCall(sim, '/customservice/kfsession/create', { token, body: { kf_account: alice, openid: 'fan' } });
    expect(json.errcode).toBe(0);
    await sim.settled();
    expect(sim.queue()).toEqual([]);
    expect(kfEvents()).toMatchObject([{ Event: 'kf_create_session', KfAccount: alice }]);
    await apiCall(sim, '/customservice/kfsession/close', { token, body: { kf_account: alice, openid: 'fan' } });
    await sim.settled();
    expect(kfEvents().at(-1)).toMatchObject({ Event: 'kf_close_session', KfAccount: alice });
  });
});
