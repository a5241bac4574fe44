// The message plan: which message the generator sends as request i of stream s. It is a pure
// function, so the generator only has to report how many requests each stream sent and the
// integrity check can rebuild every MsgId, follower and keyword from that.
// bench/wrk.lua computes exactly the same function — change both together.
import { createHash } from 'node:crypto';

export interface Plan {
  /** 5 digits, different every run: part of every MsgId. */
  runTag: string;
  /** Mixed into the follower/keyword choice. */
  seed: number;
  followers: number;
  /** Percent of messages that are the keyword. */
  keywordPct: number;
  /** Deliveries per message: 1 normally, 3 in a retry storm (same body, same MsgId). */
  copies: number;
  keyword: string;
  other: string;
  /** ToUserName: the account's original id. */
  toUser: string;
  /**
   * The account's token: each message is signed with a query of its own (messageQuery), as WeChat
   * signs each push; wekf's replay store refuses a query seen before with another body.
   */
  token: string;
}

export interface PlannedMessage {
  msgId: string;
  follower: number;
  keyword: boolean;
}

// Request indexes stay below this so i * 1103515245 is exact in a double (Lua numbers are doubles).
export const MAX_MESSAGES_PER_STREAM = 8_000_000;

export function plannedMessage(plan: Plan, stream: number, i: number): PlannedMessage {
  const h = (i * 1103515245 + stream * 12345 + plan.seed) % 2147483648;
  return {
    // 19 digits starting with 8: above 2^53 (16 digits), below 2^63.
    msgId: `8${plan.runTag}${String(stream).padStart(3, '0')}${String(i).padStart(10, '0')}`,
    follower: h % plan.followers,
    keyword: Math.floor(h / 65536) % 100 < plan.keywordPct,
  };
}

export const followerOpenid = (n: number) => `o_bench_${n}`;

/** How many distinct messages a stream that made `requests` requests sent. */
export const messagesFor = (plan: Plan, requests: number) => Math.ceil(requests / plan.copies);

export function messageXml(plan: Plan, m: PlannedMessage, createTime: number): string {
  return (
    `<xml><ToUserName><![CDATA[${plan.toUser}]]></ToUserName>` +
    `<FromUserName><![CDATA[${followerOpenid(m.follower)}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${m.keyword ? plan.keyword : plan.other}]]></Content>` +
    `<MsgId>${m.msgId}</MsgId></xml>`
  );
}

/** The nonce of request i of a stream: unique in the run. The copies of a retry storm share it. */
export function messageNonce(plan: Plan, stream: number, i: number): string {
  return `${plan.runTag}${String(stream).padStart(3, '0')}${String(i).padStart(10, '0')}`;
}

/** The path of message i of a stream, signed at `timestamp` (seconds) with its own nonce. */
export function messagePath(plan: Plan, stream: number, i: number, m: PlannedMessage, timestamp: number, webhookPath = '/api/wechat'): string {
  return `${webhookPath}?${signedQuery(plan.token, String(timestamp), messageNonce(plan, stream, i))}&openid=${followerOpenid(m.follower)}`;
}

/** signature = sha1(sort([token, timestamp, nonce]).join('')) — PROTOCOL.md §1. */
export function signedQuery(token: string, timestamp: string, nonce: string): string {
  const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
  return `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
}

/** What the generator sent, per follower: the expectations of the integrity check. */
export interface PlanTotals {
  messages: number;
  keywordMessages: number;
  /** Per follower index: messages and keyword messages. */
  perFollower: { messages: Int32Array; keywords: Int32Array };
  /** Followers who sent the keyword at least once: each should have exactly one (waiting) session. */
  keywordFollowers: number;
  /** stream → distinct messages sent (MsgIds stream…0 to stream…n-1). */
  streams: Map<number, number>;
}

export function planTotals(plan: Plan, requestsPerStream: Map<number, number>): PlanTotals {
  const messages = new Int32Array(plan.followers);
  const keywords = new Int32Array(plan.followers);
  const streams = new Map<number, number>();
  let total = 0;
  let keywordMessages = 0;
  for (const [stream, requests] of requestsPerStream) {
    const n = messagesFor(plan, requests);
    if (n > MAX_MESSAGES_PER_STREAM) throw new Error(`stream ${stream} sent ${n} messages; the plan is exact only below ${MAX_MESSAGES_PER_STREAM}`);
    streams.set(stream, (streams.get(stream) ?? 0) + n);
    for (let i = 0; i < n; i++) {
      const m = plannedMessage(plan, stream, i);
      messages[m.follower]! += 1;
      if (m.keyword) {
        keywords[m.follower]! += 1;
        keywordMessages++;
      }
    }
    total += n;
  }
  let keywordFollowers = 0;
  for (let f = 0; f < plan.followers; f++) if (keywords[f]! > 0) keywordFollowers++;
  return { messages: total, keywordMessages, perFollower: { messages, keywords }, keywordFollowers, streams };
}
