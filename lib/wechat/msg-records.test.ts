import { afterEach, describe, expect, it } from 'vitest';
import { WechatClient } from './client';
import { KfApi } from './kf-api';
import type { MsgRecord } from './kf-types';
import { startFakeWechat, type FakeRoute, type FakeWechat } from './testdata/fake-wechat';

const PATH = '/customservice/msgrecord/getmsglist';
const DAY = 86400;
const START = 1464710400;
let fake: FakeWechat | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(route: FakeRoute) {
  fake = await startFakeWechat({ [`POST ${PATH}`]: route });
  return { fake, api: new KfApi(new WechatClient({ appId: 'wx', appSecret: 's', baseUrl: fake.baseUrl })) };
}

const record = (time: number, text = `m${time}`): MsgRecord => ({ openid: 'o1', opercode: 2002, text, time, worker: 'test1@test' });

// Serves `records` like WeChat: endtime inclusive, ≤ 24 h, msgid = 1-based position, the returned
// msgid is the next one to ask for.
function recordServer(records: MsgRecord[], endInclusive = true): FakeRoute {
  return (req) => {
    const { starttime, endtime, msgid, number } = req.json as { starttime: number; endtime: number; msgid: number; number: number };
    if (endtime - starttime > DAY) return { json: { errcode: 65417, errmsg: 'it is too long from the starttime to endtime' } };
    const inRange = records.filter((r) => r.time >= starttime && (endInclusive ? r.time <= endtime : r.time < endtime));
    const page = inRange.slice(msgid - 1, msgid - 1 + number);
    return { json: { recordlist: page, number: page.length, msgid: msgid + page.length } };
  };
}

describe('getMsgList', () => {
  it('asks for one window with the documented body', async () => {
    const { fake, api } = await setup(() => ({
      json: {
        recordlist: [
          { openid: 'oDF3iY9WMaswOPWjCIp_f3Bnpljk', opercode: 2002, text: ' 您好，客服test1为您服务。', time: 1400563710, worker: 'test1@test' },
        ],
        number: 1,
        msgid: 20165267,
      },
    }));
    const records = await api.getMsgList({ starttime: START, endtime: START + DAY });
    expect(records).toHaveLength(1);
    expect(records[0]!.text).toBe(' 您好，客服test1为您服务。');
    expect(fake.apiCalls().map((r) => [r.method, r.path, r.query, r.json])).toEqual([
      ['POST', PATH, { access_token: 'TOKEN1' }, { starttime: START, endtime: START + DAY, msgid: 1, number: 10000 }],
    ]);
  });

  it('walks the pages, continuing from the returned msgid', async () => {
    const all = Array.from({ length: 5 }, (_, i) => record(START + i));
    const { fake, api } = await setup(recordServer(all));
    expect(await api.getMsgList({ starttime: START, endtime: START + 100 }, { pageSize: 2 })).toEqual(all);
    expect(fake.apiCalls().map((r) => (r.json as { msgid: number }).msgid)).toEqual([1, 3, 5]);
  });

  it('stops after an empty page when the last full page was exactly pageSize', async () => {
    const all = [record(START), record(START + 1)];
    const { fake, api } = await setup(recordServer(all));
    expect(await api.getMsgList({ starttime: START, endtime: START + 10 }, { pageSize: 2 })).toEqual(all);
    expect(fake.apiCalls()).toHaveLength(2);
  });

  it('splits a long range into 24-hour windows and returns every record once', async () => {
    const all = [record(START + 10), record(START + DAY), record(START + DAY + 5), record(START + 2 * DAY + 3600)];
    const { fake, api } = await setup(recordServer(all));
    expect(await api.getMsgList({ starttime: START, endtime: START + 2 * DAY + 7200 })).toEqual(all);
    expect(fake.apiCalls().map((r) => {
      const b = r.json as { starttime: number; endtime: number };
      return [b.starttime - START, b.endtime - START];
    })).toEqual([
      [0, DAY],
      [DAY, 2 * DAY],
      [2 * DAY, 2 * DAY + 7200],
    ]);
  });

  it('loses nothing at a window boundary if WeChat treats endtime as exclusive', async () => {
    const all = [record(START + DAY - 1), record(START + DAY), record(START + DAY + 1)];
    const { api } = await setup(recordServer(all, false));
    expect(await api.getMsgList({ starttime: START, endtime: START + DAY + 10 })).toEqual(all);
  });

  it('keeps two identical records in the boundary second when both really happened', async () => {
    const twin = record(START + DAY, 'same');
    const all = [twin, { ...twin }];
    const { api } = await setup(recordServer(all));
    expect(await api.getMsgList({ starttime: START, endtime: START + DAY + 10 })).toEqual(all);
  });

  it('asks once for a zero-length range', async () => {
    const { fake, api } = await setup(recordServer([record(START)]));
    expect(await api.getMsgList({ starttime: START, endtime: START })).toEqual([record(START)]);
    expect(fake.apiCalls()).toHaveLength(1);
  });

  it('refuses a reversed or fractional range before calling WeChat', async () => {
    const { fake, api } = await setup(recordServer([]));
    await expect(api.getMsgList({ starttime: START + 1, endtime: START })).rejects.toThrow(RangeError);
    await expect(api.getMsgList({ starttime: 1.5, endtime: 3 })).rejects.toThrow(RangeError);
    expect(fake.apiCalls()).toHaveLength(0);
  });

  it('refuses a full page whose msgid does not move forward', async () => {
    const { api } = await setup(() => ({ json: { recordlist: [record(START)], number: 1, msgid: 1 } }));
    await expect(api.getMsgList({ starttime: START, endtime: START + 10 }, { pageSize: 1 })).rejects.toMatchObject({
      name: 'WechatProtocolError',
      code: 'bad_response',
    });
  });

  it('surfaces 65417 from WeChat as WechatApiError', async () => {
    const { api } = await setup(() => ({ json: { errcode: 65417, errmsg: 'it is too long from the starttime to endtime' } }));
    await expect(api.getMsgList({ starttime: START, endtime: START + 10 })).rejects.toMatchObject({ errcode: 65417 });
  });
});
