// The console's own WeChat API client (pages, actions, route handlers): built from the account and
// database the process published, never borrowed from server.ts's module instances. A module of its
// own so the outbox worker, which builds its client from api-client.ts, does not load db/client.ts.
import 'server-only';
import { currentDatabase } from '@/db/client';
import type { KfApi } from '@/lib/wechat/kf-api';
import { currentWechatAccount } from './account';
import { kfApiFor } from './api-client';

export function wechatApiForConsole(): KfApi {
  return kfApiFor(currentWechatAccount(), currentDatabase);
}
