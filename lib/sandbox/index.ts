// Sandbox mode: with no Official Account configured, wekf runs against its own fake WeChat
// (lib/wechat-sim) in this process. This is the one way into the fake for server code and for the
// Next bundle; the domain (lib/kf) only ever sees the plain account it points at.
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { log } from '@/lib/log';
import type { WechatAccount } from '@/lib/wechat-account/account';
import { startWechatSim, type SimCredentials, type WechatSim } from '@/lib/wechat-sim';

const sandboxLog = log.child({ module: 'sandbox' });

export interface SandboxWechat {
  /** The fake's account: its credentials and its API origin. */
  account: WechatAccount;
  close(): Promise<void>;
}

/**
 * The sandbox's WeChat already has two customer-service accounts, one signed in, so a newcomer's
 * first 「客服」 is queued and transferred as on an account that runs customer service.
 */
export const SANDBOX_AGENTS = [
  { prefix: 'xiaowang', nickname: '小王', workerWx: 'wx_xiaowang', online: true },
  { prefix: 'xiaoli', nickname: '小李', workerWx: 'wx_xiaoli', online: false },
];

/**
 * Starts the fake WeChat in safe mode, so the sandbox exercises signatures and encryption exactly as
 * production does, with the same credentials every start (kept in the data folder) so the stored
 * access_token and appid stay meaningful.
 */
export async function startSandboxWechat(opts: { dataDir: string; webhookUrl: string; port?: number }): Promise<SandboxWechat> {
  const sim = await startWechatSim({
    ...readSandboxCredentials(opts.dataDir),
    webhookUrl: opts.webhookUrl,
    mode: 'safe',
    port: opts.port,
    existingAgents: SANDBOX_AGENTS,
  });
  saveSandboxCredentials(opts.dataDir, sim.credentials);
  sandboxLog.info({ api: sim.url }, 'sandbox mode: using the built-in fake WeChat');
  return { account: accountOfSim(sim), close: () => sim.close() };
}

/** The account a wekf uses to talk to this fake. */
export function accountOfSim(sim: WechatSim): WechatAccount {
  const c = sim.credentials;
  return { appId: c.appId, appSecret: c.appSecret, token: c.token, encodingAESKey: c.encodingAESKey, apiBase: sim.url };
}

function sandboxFile(dataDir: string): string {
  return path.join(dataDir, 'sandbox-wechat.json');
}

/** The fake's credentials as last started (the console reads kfSuffix, the part after @ in kf_account names). */
export function readSandboxCredentials(dataDir: string): Partial<SimCredentials> {
  try {
    return JSON.parse(fs.readFileSync(sandboxFile(dataDir), 'utf8')) as Partial<SimCredentials>;
  } catch {
    return {};
  }
}

function saveSandboxCredentials(dataDir: string, credentials: SimCredentials): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(sandboxFile(dataDir), JSON.stringify(credentials), { mode: 0o600 });
}
