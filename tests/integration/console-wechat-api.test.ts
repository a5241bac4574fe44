import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, currentDatabase, getDatabase } from '@/db/client';
import { getStoredToken } from '@/db/queries/wechat-tokens';
import { accountOfSim } from '@/lib/sandbox';
import { currentWechatAccount, publishWechatAccount } from '@/lib/wechat-account/account';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { startWechatSim, type WechatSim } from '@/lib/wechat-sim';

// The console builds its own WeChat client from what the process published (the account and the
// database), as a page in Next's module graph would.
describe('the console WeChat API client', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-console-api-'));
  let sim: WechatSim;
  beforeAll(async () => {
    sim = await startWechatSim({});
    await getDatabase({ dataDir });
  });
  afterAll(async () => {
    await closeDatabase();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused until the process has published its account', () => {
    expect(() => wechatApiForConsole()).toThrow(/not configured/);
  });

  it('calls the published account with the access_token kept in the shared database', async () => {
    publishWechatAccount(accountOfSim(sim));
    expect(currentWechatAccount().apiBase).toBe(sim.url);
    await wechatApiForConsole().addKfAccount({ kfAccount: `amy@${sim.credentials.kfSuffix}`, nickname: 'Amy' });
    expect((await wechatApiForConsole().getKfList()).map((a) => a.kf_account)).toEqual([`amy@${sim.credentials.kfSuffix}`]);
    const stored = await getStoredToken(currentDatabase().db, { appId: sim.credentials.appId });
    expect(stored?.accessToken).toBeTruthy();
    expect(sim.calls({ path: '/cgi-bin/stable_token' })).toHaveLength(1);
  });
});
