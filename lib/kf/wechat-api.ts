// The customer-service API client for an account: WeChat's API with the access_token shared by
// every instance through the database. The server thread and the outbox worker both build it here.
import type { DatabaseHandle } from '@/db/client';
import { WechatClient } from '@/lib/wechat/client';
import { KfApi } from '@/lib/wechat/kf-api';
import { DatabaseTokenStore } from './token-store';

export interface ApiAccount {
  appId: string;
  appSecret: string;
  apiBase: string;
}

export function kfApiFor(account: ApiAccount, database: () => DatabaseHandle): KfApi {
  const client = new WechatClient({
    appId: account.appId,
    appSecret: account.appSecret,
    baseUrl: account.apiBase,
    tokenStore: new DatabaseTokenStore(database),
  });
  return new KfApi(client);
}
