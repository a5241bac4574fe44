// The Official Account wekf serves, as plain data: enough to build its API client (api-client.ts)
// and to check and decrypt its pushes. server.ts decides it at start (from env, or the sandbox's fake
// WeChat, lib/sandbox) and publishes it here; the console's server code reads it back, as it reads
// the database handle from db/client.ts, and builds what it needs from it.
import 'server-only';
import type { Env } from '@/lib/env';

export interface WechatAccount {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey?: string;
  /** WeChat API origin: https://api.weixin.qq.com, or the fake's in sandbox mode. */
  apiBase: string;
}

/** What the API client needs (and all the outbox worker thread is given). */
export type ApiAccount = Pick<WechatAccount, 'appId' | 'appSecret' | 'apiBase'>;

/** The account configured in env. Sandbox mode has none: lib/sandbox supplies the fake's. */
export function accountFromEnv(config: Env): WechatAccount {
  if (config.sandbox) throw new Error('no WeChat account is configured (sandbox mode)');
  return {
    appId: config.WECHAT_APP_ID!,
    appSecret: config.WECHAT_APP_SECRET!,
    token: config.WECHAT_TOKEN!,
    encodingAESKey: config.WECHAT_ENCODING_AES_KEY,
    apiBase: config.WECHAT_API_BASE,
  };
}

// On globalThis: server.ts and Next's bundle each load this module.
const holder = globalThis as typeof globalThis & { __wekfWechatAccount?: WechatAccount };

/** Called once by the process at start, before it serves requests. */
export function publishWechatAccount(account: WechatAccount): void {
  holder.__wekfWechatAccount = account;
}

/** The account the process serves; throws before server start-up has published it. */
export function currentWechatAccount(): WechatAccount {
  const account = holder.__wekfWechatAccount;
  if (!account) throw new Error('the WeChat account is not configured yet');
  return account;
}
