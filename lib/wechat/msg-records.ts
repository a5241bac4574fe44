import type { WechatClient } from './client';
import { WechatProtocolError } from './errors';
import { msgRecordPageSchema, type MsgRecord } from './kf-types';
import { parseResponse } from './response';

// msgrecord/getmsglist answers at most 24 h per request (else 65417) and at most 10000 records per
// page (PROTOCOL.md §6.3); longer ranges are walked window by window, page by page.
export const MSG_RECORD_WINDOW_SECONDS = 24 * 60 * 60;
export const MSG_RECORD_PAGE_SIZE = 10000;
const PATH = '/customservice/msgrecord/getmsglist';

export interface MsgListRange {
  /** Unix seconds. */
  starttime: number;
  endtime: number;
}

export async function getMsgList(
  client: WechatClient,
  range: MsgListRange,
  opts: { pageSize?: number } = {},
): Promise<MsgRecord[]> {
  const { starttime, endtime } = range;
  if (!Number.isInteger(starttime) || !Number.isInteger(endtime) || endtime < starttime) {
    throw new RangeError('getMsgList needs integer starttime <= endtime (unix seconds)');
  }
  const pageSize = opts.pageSize ?? MSG_RECORD_PAGE_SIZE;
  const all: MsgRecord[] = [];
  let start = starttime;
  let previous: MsgRecord[] = [];
  for (;;) {
    const end = Math.min(start + MSG_RECORD_WINDOW_SECONDS, endtime);
    const records = await getWindow(client, start, end, pageSize);
    all.push(...dropBoundaryRepeats(records, previous, start));
    if (end >= endtime) return all;
    previous = records;
    start = end;
  }
}

export interface MsgRecordPage {
  records: MsgRecord[];
  /** Where the next page starts (WeChat's returned msgid), or the asked msgid when none came back. */
  nextMsgid: number;
  /** A full page: more may follow at nextMsgid. */
  full: boolean;
}

/** One page of one window (at most 24 h), for a caller that keeps its own msgid cursor. */
export async function getMsgRecordPage(
  client: WechatClient,
  params: MsgListRange & { msgid: number; number?: number },
): Promise<MsgRecordPage> {
  const number = params.number ?? MSG_RECORD_PAGE_SIZE;
  if (params.endtime - params.starttime > MSG_RECORD_WINDOW_SECONDS || params.endtime < params.starttime) {
    throw new RangeError('getMsgRecordPage needs starttime <= endtime within 24 hours');
  }
  const body = { starttime: params.starttime, endtime: params.endtime, msgid: params.msgid, number };
  const page = parseResponse(msgRecordPageSchema, await client.post(PATH, body), PATH);
  const full = page.recordlist.length > 0 && (page.number ?? page.recordlist.length) >= number;
  const nextMsgid = page.msgid !== undefined && page.msgid > params.msgid ? page.msgid : params.msgid;
  if (full && nextMsgid <= params.msgid) throw new WechatProtocolError('bad_response', `${PATH} returned a full page without a later msgid`);
  return { records: page.recordlist, nextMsgid, full };
}

async function getWindow(client: WechatClient, starttime: number, endtime: number, number: number): Promise<MsgRecord[]> {
  const records: MsgRecord[] = [];
  let msgid = 1;
  for (;;) {
    const page = parseResponse(msgRecordPageSchema, await client.post(PATH, { starttime, endtime, msgid, number }), PATH);
    records.push(...page.recordlist);
    if ((page.number ?? page.recordlist.length) < number || page.recordlist.length === 0) return records;
    // The next request starts from the returned msgid as-is (the doc's worked example; WxJava agrees).
    if (page.msgid === undefined || page.msgid <= msgid) {
      throw new WechatProtocolError('bad_response', `${PATH} returned a full page without a later msgid`);
    }
    msgid = page.msgid;
  }
}

// Windows share their boundary second because the doc does not say whether endtime is inclusive. A
// record at that second returned by both windows is counted once; under exclusive semantics nothing at
// the boundary comes back twice, so nothing is dropped.
function dropBoundaryRepeats(records: MsgRecord[], previous: MsgRecord[], boundary: number): MsgRecord[] {
  const seen = new Map<string, number>();
  for (const r of previous) {
    if (r.time === boundary) seen.set(recordKey(r), (seen.get(recordKey(r)) ?? 0) + 1);
  }
  if (seen.size === 0) return records;
  return records.filter((r) => {
    const left = r.time === boundary ? (seen.get(recordKey(r)) ?? 0) : 0;
    if (left === 0) return true;
    seen.set(recordKey(r), left - 1);
    return false;
  });
}

function recordKey(r: MsgRecord): string {
  return JSON.stringify([r.openid, r.opercode, r.worker, r.text]);
}
