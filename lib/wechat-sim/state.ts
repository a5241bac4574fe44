// Everything the fake WeChat remembers, in one plain object so every module (API routes, follower,
// state machine, control API) works on the same truth and a snapshot is a copy of it.
import { SimApiError } from './errors';
import type { AttemptRecord } from './push';
import type { ReplyOutcome } from './reply';

export type PushMode = 'plain' | 'compat' | 'safe';

export interface SimConfig {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string;
  originalId: string;
  kfSuffix: string;
  webhookUrl: string | undefined;
  mode: PushMode;
  pushTimeoutMs: number;
  pushAttempts: number;
  inviteExpiryMs: number;
  /** When set, token endpoints answer 40164 to any other caller address. */
  ipAllowList: string[] | undefined;
  /** Benchmarks: every openid is a subscribed follower whose send window never runs out. */
  anyoneReachable: boolean;
}

export interface AccessTokenRecord {
  token: string;
  kind: 'classic' | 'stable';
  expiresAt: number;
  /** Set when a newer token replaced this one: it keeps working until then (the 5-minute overlap). */
  revokedAt?: number;
}

/** What a trigger allows: 5 messages in 48 h after a follower's message, 3 in 1 min after an event. */
export type GrantTrigger = 'message' | 'event';
export interface SendGrant {
  remaining: number;
  expiresAt: number;
}

export interface Follower {
  openid: string;
  subscribed: boolean;
  grants: Partial<Record<GrantTrigger, SendGrant>>;
  /** Last message or event from the follower; typing needs one in the last 30 s. */
  lastInteractionAt: number | undefined;
  typingUntil: number | undefined;
  /** The last subscribe event; undefined for a follower the fake met already following. */
  subscribedAt: number | undefined;
  /** What staff call them (user/info's remark); '' for none. Kept through an unfollow. */
  remark: string;
}

export type InviteStatus = 'waiting' | 'rejected' | 'expired';
export interface Invite {
  wx: string;
  expiresAt: number;
  /** 'expired' is never stored: it is derived from expiresAt when read. */
  answer: 'waiting' | 'rejected';
}

export interface KfAccount {
  kfAccount: string;
  nickname: string;
  kfId: string;
  headImgUrl: string;
  boundWx: string | undefined;
  invite: Invite | undefined;
  online: boolean;
}

export interface KfSession {
  openid: string;
  kfAccount: string;
  createdAt: number;
  lastActivityAt: number;
}

export interface QueuedMessage {
  text: string;
  at: number;
}

export interface WaitCase {
  openid: string;
  queuedAt: number;
  latestAt: number;
  /** From TransInfo/KfAccount: only this agent may take the case. */
  kfAccount: string | undefined;
  /** Messages forwarded while waiting; the accepting agent sees them. */
  messages: QueuedMessage[];
}

export interface ChatRecord {
  msgid: number;
  openid: string;
  /** 2002 = the agent sent it, 2003 = the agent received it. */
  opercode: 2002 | 2003;
  text: string;
  time: number;
  worker: string;
}

export type DeliverySource = 'reply' | 'custom' | 'agent' | 'system';
/** Something that reached the follower's phone. */
export interface Delivered {
  openid: string;
  at: number;
  source: DeliverySource;
  msgType: string;
  /** The text for text messages; a short label such as [image] otherwise. */
  text: string;
  /** The message as sent: the parsed reply XML or the custom/send JSON. */
  payload: Record<string, unknown>;
  kfAccount?: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  at: number;
  httpStatus: number;
  response: unknown;
}

/** One push to the webhook, with every attempt and how WeChat read the answer. */
export interface PushRecord {
  id: number;
  openid: string;
  at: number;
  url: string;
  mode: PushMode;
  /** The push as plaintext fields, before any encryption. */
  fields: Record<string, unknown>;
  /** The bytes POSTed on every attempt. */
  body: string;
  attempts: AttemptRecord[];
  /** undefined while attempts are still running. */
  outcome: ReplyOutcome | { kind: 'failed' } | undefined;
}

export interface QrTicket {
  ticket: string;
  scene: string;
  expiresAt: number | undefined;
}

export interface SimState {
  config: SimConfig;
  tokens: AccessTokenRecord[];
  tokenUsage: { day: number; classicFetches: number; forcedRefreshes: number; lastForcedAt: number | undefined };
  followers: Map<string, Follower>;
  accounts: Map<string, KfAccount>;
  nextKfId: number;
  sessions: Map<string, KfSession>;
  queue: WaitCase[];
  records: ChatRecord[];
  nextRecordId: number;
  qrTickets: Map<string, QrTicket>;
  deliveries: Delivered[];
  /** Told of every delivery as it happens, so a sandbox page can update the follower's phone live. */
  deliveryListeners: Set<(delivery: Delivered) => void>;
  calls: RecordedCall[];
  pushes: PushRecord[];
  nextMsgId: bigint;
}

/** Logs kept for tests and the sandbox page are capped so a sandbox running for weeks stays small. */
export const MAX_LOG_ENTRIES = 10_000;
/**
 * How far a log may grow past the cap before its oldest entries are dropped. Dropping one entry per
 * append moves the whole array every time once a log is full (36 µs per call here, twice per API
 * call); dropping a thousand at once moves it once per thousand appends.
 */
export const LOG_TRIM_SLACK = 1_000;

/** Appends, keeping the newest MAX_LOG_ENTRIES to MAX_LOG_ENTRIES + LOG_TRIM_SLACK entries. */
export function appendBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_LOG_ENTRIES + LOG_TRIM_SLACK) list.splice(0, list.length - MAX_LOG_ENTRIES);
}

/** Something reached the follower's phone. Listeners run synchronously and must not throw. */
export function deliver(state: SimState, delivery: Delivered): void {
  appendBounded(state.deliveries, delivery);
  for (const listener of state.deliveryListeners) listener(delivery);
}

export function createState(config: SimConfig): SimState {
  return {
    config,
    tokens: [],
    tokenUsage: { day: -1, classicFetches: 0, forcedRefreshes: 0, lastForcedAt: undefined },
    followers: new Map(),
    accounts: new Map(),
    nextKfId: 1001,
    sessions: new Map(),
    queue: [],
    records: [],
    // Ids go 1, 3, 5, …: routes/msgrecord.ts explains why the gaps make paging safe.
    nextRecordId: 1,
    qrTickets: new Map(),
    deliveries: [],
    deliveryListeners: new Set(),
    calls: [],
    pushes: [],
    // Raised to the clock's reading on every message (see nextMsgId below).
    nextMsgId: 0n,
  };
}

/**
 * Room for this many MsgIds per millisecond. Ids are the clock's milliseconds times this, so a
 * restarted fake never repeats an id an earlier run sent (a database keeps the old ones), and they
 * exceed 2^53 like WeChat's 64-bit ids (1.7e18 today, below 2^63 until the year 2262).
 */
export const MSG_IDS_PER_MS = 1_000_000n;

/** A MsgId never used before by this fake or any earlier run of it, as long as the clock only grows. */
export function nextMsgId(state: SimState, nowMs: number): bigint {
  const fromClock = BigInt(Math.floor(nowMs)) * MSG_IDS_PER_MS;
  const id = state.nextMsgId > fromClock ? state.nextMsgId : fromClock;
  state.nextMsgId = id + 1n;
  return id;
}

/** The follower record, created as an existing subscriber the first time an openid is used. */
export function followerOf(state: SimState, openid: string): Follower {
  let follower = state.followers.get(openid);
  if (!follower) {
    follower = { openid, subscribed: true, grants: {}, lastInteractionAt: undefined, typingUntil: undefined, subscribedAt: undefined, remark: '' };
    state.followers.set(openid, follower);
  }
  return follower;
}

export function inviteStatus(invite: Invite, now: number): InviteStatus {
  if (invite.answer === 'rejected') return 'rejected';
  return now >= invite.expiresAt ? 'expired' : 'waiting';
}

/**
 * For API calls: only openids the fake has seen exist; WeChat answers 40003 for any other. With
 * `anyoneReachable` (benchmarks) any openid is a follower, created on first use.
 */
export function knownFollower(state: SimState, openid: string | undefined): Follower {
  if (openid && state.config.anyoneReachable) return followerOf(state, openid);
  const follower = openid ? state.followers.get(openid) : undefined;
  if (!follower) throw new SimApiError(40003);
  return follower;
}
