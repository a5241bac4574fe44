// The customer-service API client for an account: WeChat's API with the access_token shared by
// every instance through the database. The server thread, the outbox worker and the console all
// build it here, from plain account data.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { WechatClient } from '@/lib/wechat/client';
import { KfApi } from '@/lib/wechat/kf-api';
import type { ApiAccount } from './account';
import { DatabaseTokenStore } from './database-token-store';

export function kfApiFor(account: ApiAccount, database: () => DatabaseHandle): KfApi {
  const client = new WechatClient({
    appId: account.appId,
    appSecret: account.appSecret,
    baseUrl: account.apiBase,
    tokenStore: new DatabaseTokenStore(database),
  });
  return new KfApi(client);
}
