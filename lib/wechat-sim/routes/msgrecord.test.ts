import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSim, type WechatSim } from '../index';
import { apiCall, classicToken, readyAgent } from '../test-support';

let sim: WechatSim;
let token: string;
let alice: string;
let start: number;

beforeEach(async () => {
  sim = await startWechatSim();
  token = await classicToken(sim);
  alice = await readyAgent(sim, token, 'alice');
  start = Math.floor(sim.clock.now() / 1000);
  await sim.follower('fan').sendText('open');
  await apiCall(sim, '/customservice/kfsession/create', { token, body: { kf_account: alice, openid: 'fan' } });
});
afterEach(() => sim.close());

const getMsgList = (body: Record<string, number>) => apiCall(sim, '/customservice/msgrecord/getmsglist', { token, body });

async function chat(count: number) {
  for (let i = 0; i < count; i++) {
    await sim.follower('fan').sendText(`fan ${i}`);
    await sim.agents.send(alice, 'fan', `agent ${i}`);
  }
}

describe('msgrecord/getmsglist', () => {
  it('records follower messages as 2003 and agent messages as 2002, with the worker', async () => {
    await chat(1);
    const json = await getMsgList({ starttime: start, endtime: start + 60, msgid: 1, number: 10 });
    expect(json.number).toBe(2);
    expect(json.recordlist).toEqual([
      { openid: 'fan', opercode: 2003, text: 'fan 0', time: expect.any(Number), worker: alice },
      { openid: 'fan', opercode: 2002, text: 'agent 0', time: expect.any(Number), worker: alice },
    ]);
  });

  it('answers 65417 for a range over 24 hours and 65416 for bad parameters', async () => {
    expect((await getMsgList({ starttime: start, endtime: start + 86_401, msgid: 1, number: 10 })).errcode).toBe(65417);
    expect((await getMsgList({ starttime: start, endtime: start + 86_400, msgid: 1, number: 10 })).errcode).toBeUndefined();
    expect((await getMsgList({ starttime: start, endtime: start + 60, msgid: 1, number: 10_001 })).errcode).toBe(65416);
    expect((await getMsgList({ starttime: start + 60, endtime: start, msgid: 1, number: 10 })).errcode).toBe(65416);
    expect((await apiCall(sim, '/customservice/msgrecord/getmsglist', { token, body: {} })).errcode).toBe(65416);
  });

  it.each([
    ['passes the returned msgid back unchanged', 0],
    ['adds 1 to the returned msgid', 1],
  ])('pages without duplicates or gaps when the client %s', async (_style, increment) => {
    await chat(5);
    const seen: string[] = [];
    let msgid = 1;
    for (let page = 0; page < 10; page++) {
      const json = await getMsgList({ starttime: start, endtime: start + 60, msgid, number: 3 });
      seen.push(...json.recordlist.map((r: { text: string }) => r.text));
      if (json.number < 3) break;
      msgid = json.msgid + increment;
    }
    expect(seen).toEqual(['fan 0', 'agent 0', 'fan 1', 'agent 1', 'fan 2', 'agent 2', 'fan 3', 'agent 3', 'fan 4', 'agent 4']);
  });

  it('keeps only the records inside the time range', async () => {
    await chat(1);
    // Less than the 30-minute idle limit, so the session is still open.
    sim.clock.advance(20 * 60_000);
    await chat(1);
    const later = Math.floor(sim.clock.now() / 1000);
    const json = await getMsgList({ starttime: later - 10, endtime: later, msgid: 1, number: 10 });
    expect(json.recordlist.map((r: { text: string }) => r.text)).toEqual(['fan 0', 'agent 0']);
    expect(json.recordlist.every((r: { time: number }) => r.time >= later - 10)).toBe(true);
  });
});

describe('msgrecord retention', () => {
  it('forgets records older than 30 days, as mpkf does', async () => {
    await chat(1);
    sim.clock.advance(31 * 86_400_000);
    token = await classicToken(sim);
    const json = await getMsgList({ starttime: start, endtime: start + 60, msgid: 1, number: 10 });
    expect(json).toMatchObject({ recordlist: [], number: 0 });
  });
});
