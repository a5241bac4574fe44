// The customer-service API client for an account: WeChat's API with the access_token shared by
// every instance through the database. The server thread, the outbox worker and the console all
// build it here, from plain account data.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { WechatClient } from '@/lib/wechat/client';
import { KfApi } from '@/lib/wechat/kf-api';
import type { ApiAccount } from './account';
import { DatabaseTokenStore } from './database-token-store';

/** `timeoutMs`: how long a call waits for WeChat's answer (the client's default, 5 s, unless given). */
export function kfApiFor(account: ApiAccount, database: () => DatabaseHandle, opts: { timeoutMs?: number } = {}): KfApi {
  const client = new WechatClient({
    appId: account.appId,
    appSecret: account.appSecret,
    baseUrl: account.apiBase,
    tokenStore: new DatabaseTokenStore(database),
    timeoutMs: opts.timeoutMs,
  });
  return new KfApi(client);
}
