// The sandbox page's way to play follower and agent: the fake WeChat's control API (/__sim/, see
// lib/wechat-sim/control.ts) over HTTP at the account's API origin. The fake runs in this process
// in sandbox mode, but the Next bundle never holds server.ts's instance; HTTP is the one shared door.
import 'server-only';
import { env } from '@/lib/env';
import { currentWechatAccount } from '@/lib/wechat-account/account';
import type { Delivered, PushRecord, RecordedCall, SimSnapshot } from '@/lib/wechat-sim';
import { readSandboxCredentials } from './index';

export type { Delivered, PushRecord, RecordedCall, SimSnapshot };

/** The API path of a customer-service message (queue position, greeting, closing text). */
export const CUSTOM_SEND_PATH = '/cgi-bin/message/custom/send';

/** The fake refused (an agent offline, nobody waiting …): `reason` is its short English message. */
export class SandboxRefusal extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'SandboxRefusal';
  }
}

export function sandboxAvailable(): boolean {
  return env().sandbox;
}

async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  if (!sandboxAvailable()) throw new Error('the sandbox is only available in sandbox mode');
  const response = await fetch(`${currentWechatAccount().apiBase}/__sim/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!response.ok) throw new SandboxRefusal(json.error ?? `http_${response.status}`, json.message ?? '');
  return json;
}

const follower = (openid: string) => `followers/${encodeURIComponent(openid)}`;
const agent = (kfAccount: string) => `agents/${encodeURIComponent(kfAccount)}`;

export const sandboxWechat = {
  snapshot: () => control<SimSnapshot>('GET', 'state'),
  deliveries: () => control<Delivered[]>('GET', 'deliveries'),
  pushes: () => control<PushRecord[]>('GET', 'pushes'),
  calls: (path: string) => control<RecordedCall[]>('GET', `calls?path=${encodeURIComponent(path)}`),
  subscribe: (openid: string) => control('POST', `${follower(openid)}/subscribe`, {}),
  sendText: (openid: string, text: string) => control('POST', `${follower(openid)}/text`, { text }),
  /** Names the follower as staff would in WeChat's own admin: user/info then returns it as the remark. */
  setRemark: (openid: string, remark: string) => control('POST', `${follower(openid)}/remark`, { remark }),
  /** The follower scans a QR code whose scene is `scene` with WeChat (a SCAN push, or subscribe with qrscene_). */
  scan: (openid: string, scene: string) => control('POST', `${follower(openid)}/scan`, { scene }),
  acceptInvite: (kfAccount: string) => control('POST', `${agent(kfAccount)}/accept-invite`, {}),
  setOnline: (kfAccount: string, online: boolean) => control('POST', `${agent(kfAccount)}/online`, { online }),
  accept: (kfAccount: string, openid?: string) => control('POST', `${agent(kfAccount)}/accept`, openid ? { openid } : {}),
  switchTo: (kfAccount: string, openid: string, to: string) => control('POST', `${agent(kfAccount)}/switch`, { openid, to }),
  close: (kfAccount: string, openid: string) => control('POST', `${agent(kfAccount)}/close`, { openid }),
  send: (kfAccount: string, openid: string, text: string) => control('POST', `${agent(kfAccount)}/send`, { openid, text }),
  /** Every push started so far (the kf_* events an agent's action sends) has been answered. */
  settled: () => control('POST', 'settled', {}),
};

/** The part after @ in the fake's kf_account names. */
export function sandboxKfSuffix(): string {
  return readSandboxCredentials(env().dataDir).kfSuffix ?? 'wekf_sim';
}
