// The WeChat side of one wekf process: the API client, the webhook handler, the outbox dispatcher and
// the expiry sweep — against the real Official Account, or (sandbox mode) against the in-process fake.
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseHandle } from '@/db/client';
import type { Env } from '@/lib/env';
import { log } from '@/lib/log';
import { OutboxDispatcher } from '@/lib/outbox/dispatcher';
import { startOutboxWorker } from '@/lib/outbox/worker-host';
import { WechatCrypto } from '@/lib/wechat/crypto';
import type { KfApi } from '@/lib/wechat/kf-api';
import { startWechatSim, type SimCredentials, type WechatSim } from '@/lib/wechat-sim';
import { startEmbeddedMaintenance, startExpirySweep } from './sweeps';
import { kfApiFor } from './wechat-api';
import { createWebhookHandler, type WebhookRequest, type WebhookResponse } from './webhook';

export interface WechatRuntime {
  mode: 'live' | 'sandbox';
  appId: string;
  kf: KfApi;
  dispatcher: OutboxDispatcher;
  sim?: WechatSim;
  handleWebhook(request: WebhookRequest): Promise<WebhookResponse>;
  stop(): Promise<void>;
}

export interface WechatAccount {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey?: string;
  apiBase: string;
}

const runtimeLog = log.child({ module: 'wechat' });
const holder = globalThis as typeof globalThis & { __wekfRuntime?: WechatRuntime };

export interface OutboxThread {
  /** The bundled worker (scripts/bundle-server.mjs). */
  workerFile: string;
  databaseUrl: string;
}

export async function startWechatRuntime(
  config: Env,
  opts: { database: () => DatabaseHandle; webhookUrl: string; startBackground?: boolean; outboxWorkerFile?: string },
): Promise<WechatRuntime> {
  let sim: WechatSim | undefined;
  let account: WechatAccount;
  if (config.sandbox) {
    // Safe mode, so the sandbox exercises signatures and encryption exactly as production does.
    // The same credentials every start, so the stored access_token and appid stay meaningful.
    sim = await startWechatSim({ ...readSandboxCredentials(config.dataDir), webhookUrl: opts.webhookUrl, mode: 'safe', port: config.SANDBOX_WECHAT_PORT });
    const c = sim.credentials;
    saveSandboxCredentials(config.dataDir, c);
    account = { appId: c.appId, appSecret: c.appSecret, token: c.token, encodingAESKey: c.encodingAESKey, apiBase: sim.url };
    runtimeLog.info({ api: sim.url }, 'sandbox mode: using the built-in fake WeChat');
  } else {
    account = {
      appId: config.WECHAT_APP_ID!,
      appSecret: config.WECHAT_APP_SECRET!,
      token: config.WECHAT_TOKEN!,
      encodingAESKey: config.WECHAT_ENCODING_AES_KEY,
      apiBase: config.WECHAT_API_BASE,
    };
  }

  return createWechatRuntime({
    account,
    database: opts.database,
    sim,
    startBackground: opts.startBackground,
    outboxThread: outboxThreadFor(config, opts.database(), opts.outboxWorkerFile),
  });
}

/**
 * On Postgres, the background dispatcher runs on a thread of its own with its own small pool, so
 * sending never holds up the webhook's event loop. PGlite is one connection inside this thread, and
 * without the bundled worker (development) the dispatcher stays here too.
 */
export function outboxThreadFor(config: Env, database: DatabaseHandle, workerFile: string | undefined): OutboxThread | undefined {
  if (database.kind !== 'postgres' || !config.DATABASE_URL || !workerFile) return undefined;
  if (!fs.existsSync(workerFile)) {
    runtimeLog.warn({ workerFile }, 'outbox worker not built; sending from the server thread');
    return undefined;
  }
  return { workerFile, databaseUrl: config.DATABASE_URL };
}

/** The runtime for a given account; tests pass the fake's credentials and a database of their own. */
export function createWechatRuntime(opts: {
  account: WechatAccount;
  database: () => DatabaseHandle;
  sim?: WechatSim;
  startBackground?: boolean;
  now?: () => Date;
  /** Run the background dispatcher on a thread of its own (outboxThreadFor). */
  outboxThread?: OutboxThread;
}): WechatRuntime {
  const { account, sim } = opts;
  const kf = kfApiFor(account, opts.database);
  const dispatcher = new OutboxDispatcher({ database: opts.database, kf, now: opts.now });
  const crypto = account.encodingAESKey
    ? new WechatCrypto({ token: account.token, encodingAESKey: account.encodingAESKey, appId: account.appId })
    : undefined;
  const background = opts.startBackground ?? true;
  const outboxThread =
    background && opts.outboxThread
      ? startOutboxWorker(opts.outboxThread.workerFile, {
          databaseUrl: opts.outboxThread.databaseUrl,
          account: { appId: account.appId, appSecret: account.appSecret, apiBase: account.apiBase },
        })
      : undefined;
  if (background && !outboxThread) dispatcher.start();
  const stopSweeps = background ? [startExpirySweep(opts.database), startEmbeddedMaintenance(opts.database)] : [];
  const sender = outboxThread ?? dispatcher;

  const webhook = createWebhookHandler({
    token: account.token,
    crypto,
    database: opts.database,
    now: opts.now,
    // Whatever this push queued should go out now, not at the next poll.
    onOutboundQueued: () => sender.wake(),
  });

  const runtime: WechatRuntime = {
    mode: sim ? 'sandbox' : 'live',
    appId: account.appId,
    kf,
    dispatcher,
    sim,
    handleWebhook: webhook,
    async stop() {
      for (const stop of stopSweeps) stop();
      await Promise.all([dispatcher.stop(), outboxThread?.stop()]);
      await sim?.close();
      if (holder.__wekfRuntime === runtime) holder.__wekfRuntime = undefined;
    },
  };
  holder.__wekfRuntime = runtime;
  return runtime;
}

function sandboxFile(dataDir: string): string {
  return path.join(dataDir, 'sandbox-wechat.json');
}

function readSandboxCredentials(dataDir: string): Partial<SimCredentials> {
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

/** The process's runtime, for console pages (agents, sandbox). */
export function currentRuntime(): WechatRuntime | undefined {
  return holder.__wekfRuntime;
}
