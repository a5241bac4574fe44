// A working fake of WeChat for tests, the sandbox and benchmarks: the API servers
// (api.weixin.qq.com) on a local node:http port, and the follower's side that pushes to a webhook.
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WechatCrypto } from '../wechat/crypto';
import { addAccount, answerInvite, setOnline } from './accounts';
import { createClock } from './clock';
import { createControlHandler } from './control';
import { CustomerServiceMachine } from './cs-machine';
import { SimUsageError } from './errors';
import { FaultStore, type ActiveFault, type FaultSpec } from './faults';
import { FollowerSide, type FollowerResult } from './follower';
import { createApiListener } from './http';
import { WebhookClient } from './push';
import { customSendRoutes } from './routes/custom-send';
import { kfAccountRoutes } from './routes/kf-account';
import { kfSessionRoutes } from './routes/kf-session';
import { msgRecordRoutes } from './routes/msgrecord';
import { qrcodeRoutes } from './routes/qrcode';
import { userInfoRoutes } from './routes/user-info';
import { authenticate, tokenRoutes } from './routes/token';
import { takeSnapshot, waitingEntries, type SimSnapshot, type WaitingEntry } from './snapshot';
import { createState, followerOf, type Delivered, type PushMode, type PushRecord, type RecordedCall, type SimConfig } from './state';
import { TimerSet } from './timers';

export { SimApiError, SimUsageError, type SimUsageCode } from './errors';
export { SERVICE_UNAVAILABLE_TEXT, type FollowerResult } from './follower';
export type { FaultSpec, ActiveFault } from './faults';
export type { SimSnapshot, WaitingEntry } from './snapshot';
export type { Delivered, PushMode, PushRecord, RecordedCall } from './state';

export interface SimOptions {
  appId?: string;
  appSecret?: string;
  token?: string;
  encodingAESKey?: string;
  /** The account's original id (gh_…), ToUserName of every push. */
  originalId?: string;
  /** The account's WeChat ID, used after @ in kf_account names. */
  kfSuffix?: string;
  webhookUrl?: string;
  mode?: PushMode;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** WeChat waits 5 s for an answer to each push. */
  pushTimeoutMs?: number;
  /** Deliveries per push in all (first try + retries); default 3. */
  pushAttempts?: number;
  /** How long an inviteworker invitation stays pending; WeChat does not document it. Default 7 days. */
  inviteExpiryMs?: number;
  /** Caller addresses allowed to fetch tokens; unset allows everyone. */
  ipAllowList?: string[];
  /** Time source; the fake clock adds its offset on top. */
  now?: () => number;
  /**
   * Customer-service accounts that exist from the start, already bound to a worker (as on an account
   * that has run customer service for a while): `prefix@kfSuffix`.
   */
  existingAgents?: { prefix: string; nickname: string; workerWx: string; online: boolean }[];
  /**
   * For benchmarks, whose followers message the webhook directly and never through the fake: every
   * openid counts as a subscribed follower with an endless send window, so custom sends succeed as
   * most do in production instead of all failing with 40003. Default false.
   */
  anyoneReachable?: boolean;
}

export interface SimCredentials {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string;
  originalId: string;
  kfSuffix: string;
}

export interface SimFollower {
  readonly openid: string;
  sendText(text: string): Promise<FollowerResult>;
  sendEvent(event: string, extra?: Record<string, string>): Promise<FollowerResult>;
  subscribe(scene?: string): Promise<FollowerResult>;
  unsubscribe(): Promise<FollowerResult>;
  scan(scene: string): Promise<FollowerResult>;
  click(key: string): Promise<FollowerResult>;
  /**
   * Staff name the follower in WeChat's own admin (not through the API): up to 30 characters there,
   * more than updateremark accepts. What user/info then returns as the remark.
   */
  setRemark(remark: string): void;
  /** Everything this follower's phone has shown, oldest first. */
  inbox(): Delivered[];
}

/** What agents do in WeChat's customer-service tool. Session changes resolve after the kf_* push. */
export interface SimAgents {
  acceptInvite(kfAccount: string): Promise<void>;
  rejectInvite(kfAccount: string): Promise<void>;
  setOnline(kfAccount: string, online: boolean): Promise<void>;
  /** Takes the given waiting follower, or the longest-waiting one this agent may take. */
  accept(kfAccount: string, openid?: string): Promise<FollowerResult>;
  switchTo(fromKfAccount: string, openid: string, toKfAccount: string): Promise<FollowerResult>;
  close(kfAccount: string, openid: string): Promise<FollowerResult>;
  send(kfAccount: string, openid: string, text: string): Promise<void>;
}

export interface WechatSim {
  /** Origin of the fake API, for WECHAT_API_BASE. */
  readonly url: string;
  readonly credentials: SimCredentials;
  readonly clock: { now(): number; advance(ms: number): void };
  setWebhook(url: string | undefined, mode?: PushMode): void;
  /** WeChat's GET check of the server URL: true when the webhook echoes echostr. */
  verifyWebhook(): Promise<boolean>;
  setIpAllowList(ips: string[] | undefined): void;
  follower(openid: string): SimFollower;
  readonly agents: SimAgents;
  queue(): WaitingEntry[];
  calls(filter?: { path?: string }): RecordedCall[];
  deliveries(openid?: string): Delivered[];
  /** Calls `listener` for every new delivery to any follower; returns the unsubscribe function. */
  onDelivery(listener: (delivery: Delivered) => void): () => void;
  pushes(openid?: string): PushRecord[];
  readonly faults: { inject(spec: FaultSpec): void; list(): ActiveFault[]; clear(): void };
  snapshot(): SimSnapshot;
  /** Resolves when every push started so far (including kf_* events from API calls) is done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** What WeChat's admin page lets staff type as a remark (the API takes less: under 30 bytes). */
const ADMIN_REMARK_MAX_CHARS = 30;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomAlphanumeric = (length: number) =>
  Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

/** WeChat only pushes to http(s) URLs; anything else is a setup mistake worth failing on early. */
function checkWebhookUrl(url: string | undefined): string | undefined {
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) {
    throw new SimUsageError('invalid_argument', `webhook URL must be http(s), got ${JSON.stringify(url)}`);
  }
  return url;
}

function configFrom(opts: SimOptions): SimConfig {
  const config: SimConfig = {
    appId: opts.appId ?? `wx${randomBytes(8).toString('hex')}`,
    appSecret: opts.appSecret ?? randomBytes(16).toString('hex'),
    token: opts.token ?? randomAlphanumeric(32),
    encodingAESKey: opts.encodingAESKey ?? randomAlphanumeric(43),
    originalId: opts.originalId ?? `gh_${randomBytes(6).toString('hex')}`,
    kfSuffix: opts.kfSuffix ?? 'wekf_sim',
    webhookUrl: checkWebhookUrl(opts.webhookUrl),
    mode: opts.mode ?? 'plain',
    pushTimeoutMs: opts.pushTimeoutMs ?? 5000,
    pushAttempts: opts.pushAttempts ?? 3,
    inviteExpiryMs: opts.inviteExpiryMs ?? 7 * 86_400_000,
    ipAllowList: opts.ipAllowList,
    anyoneReachable: opts.anyoneReachable ?? false,
  };
  if (!Number.isInteger(config.pushAttempts) || config.pushAttempts < 1) {
    throw new SimUsageError('invalid_argument', 'pushAttempts must be a positive integer');
  }
  return config;
}

const SHARED_SIM = Symbol.for('wekf.wechatSim');

/**
 * One simulator per process. server.ts and Next's compiled bundle each load their own copy of this
 * module, so the instance lives on globalThis; every caller gets the first caller's simulator.
 */
export function sharedWechatSim(opts: SimOptions = {}): Promise<WechatSim> {
  const holder = globalThis as { [SHARED_SIM]?: Promise<WechatSim> };
  const existing = holder[SHARED_SIM];
  if (existing) return existing;
  const starting = startWechatSim(opts);
  holder[SHARED_SIM] = starting;
  // A failed start is not cached, so the next caller can try again (say, on another port).
  starting.catch(() => {
    if (holder[SHARED_SIM] === starting) delete holder[SHARED_SIM];
  });
  return starting;
}

export async function startWechatSim(opts: SimOptions = {}): Promise<WechatSim> {
  const config = configFrom(opts);
  const state = createState(config);
  const clock = createClock(opts.now);
  for (const agent of opts.existingAgents ?? []) {
    const kfAccount = `${agent.prefix}@${config.kfSuffix}`;
    addAccount({ state, clock }, kfAccount, agent.nickname);
    Object.assign(state.accounts.get(kfAccount)!, { boundWx: agent.workerWx, online: agent.online });
  }
  const timers = new TimerSet();
  const faults = new FaultStore();
  const webhook = new WebhookClient(timers);
  // Constructing it validates the EncodingAESKey up front rather than on the first encrypted push.
  const crypto = new WechatCrypto({ token: config.token, encodingAESKey: config.encodingAESKey, appId: config.appId });
  // The machine pushes kf_* events through the follower side, which itself routes messages through
  // the machine; the closure breaks the cycle.
  const cs: CustomerServiceMachine = new CustomerServiceMachine({
    state,
    clock,
    emit: (openid, fields) => side.pushKfEvent(openid, fields),
  });
  const side = new FollowerSide({ state, clock, cs, webhook, crypto });

  const deps = { state, clock, cs };
  const routes = [
    ...tokenRoutes(deps),
    ...kfAccountRoutes(deps),
    ...kfSessionRoutes(deps),
    ...msgRecordRoutes(deps),
    ...customSendRoutes(deps),
    ...qrcodeRoutes(deps),
    ...userInfoRoutes(deps),
  ];
  const server = http.createServer(
    createApiListener({
      state,
      clock,
      routes,
      faults,
      timers,
      authenticate: (token) => authenticate(deps, token),
      // Defined below, once the sim object exists; no request is served before that line runs.
      control: (req) => control(req),
    }),
  );
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  const follower = (openid: string): SimFollower => ({
    openid,
    sendText: async (text) => side.sendText(openid, text),
    sendEvent: async (event, extra) => side.sendEvent(openid, event, extra),
    subscribe: async (scene) => side.subscribe(openid, scene),
    unsubscribe: async () => side.sendEvent(openid, 'unsubscribe'),
    scan: async (scene) => side.scan(openid, scene),
    click: async (key) => side.sendEvent(openid, 'CLICK', { EventKey: key }),
    setRemark: (remark) => {
      if ([...remark].length > ADMIN_REMARK_MAX_CHARS) {
        throw new SimUsageError('invalid_argument', `WeChat's admin takes remarks of up to ${ADMIN_REMARK_MAX_CHARS} characters`);
      }
      followerOf(state, openid).remark = remark;
    },
    inbox: () => state.deliveries.filter((d) => d.openid === openid),
  });

  const sim: WechatSim = {
    url: `http://${urlHost}:${port}`,
    credentials: {
      appId: config.appId,
      appSecret: config.appSecret,
      token: config.token,
      encodingAESKey: config.encodingAESKey,
      originalId: config.originalId,
      kfSuffix: config.kfSuffix,
    },
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
    setWebhook(url, mode) {
      config.webhookUrl = checkWebhookUrl(url);
      if (mode) config.mode = mode;
    },
    verifyWebhook: async () => {
      if (!config.webhookUrl) return false;
      return webhook.verifyUrl({ url: config.webhookUrl, token: config.token }, config.pushTimeoutMs);
    },
    setIpAllowList(ips) {
      config.ipAllowList = ips;
    },
    follower,
    agents: {
      acceptInvite: async (kf) => answerInvite(deps, kf, true),
      rejectInvite: async (kf) => answerInvite(deps, kf, false),
      setOnline: async (kf, online) => setOnline(state, kf, online),
      accept: async (kf, openid) => cs.accept(kf, openid),
      switchTo: async (fromKf, openid, toKf) => cs.switchTo(fromKf, openid, toKf),
      close: async (kf, openid) => cs.close(kf, openid),
      send: async (kf, openid, text) => cs.agentSend(kf, openid, text),
    },
    queue: () => {
      cs.sweep();
      return waitingEntries(state.queue);
    },
    calls: (filter) => state.calls.filter((c) => !filter?.path || c.path === filter.path),
    deliveries: (openid) => state.deliveries.filter((d) => !openid || d.openid === openid),
    onDelivery: (listener) => {
      state.deliveryListeners.add(listener);
      return () => state.deliveryListeners.delete(listener);
    },
    pushes: (openid) => state.pushes.filter((p) => !openid || p.openid === openid),
    faults: { inject: (spec) => faults.inject(spec), list: () => faults.list(), clear: () => faults.clear() },
    snapshot: () => takeSnapshot(state, clock, cs),
    settled: () => side.settled(),
    close: async () => {
      state.deliveryListeners.clear();
      webhook.close();
      timers.clearAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const control = createControlHandler(sim);
  return sim;
}
