// The WeChat side of one wekf process: the API client, the webhook handler, the outbox dispatcher and
// the expiry sweep, for one account given as plain data (real, or the sandbox's fake: the process
// decides, see server.ts and lib/sandbox).
import 'server-only';
import fs from 'node:fs';
import type { DatabaseHandle } from '@/db/client';
import { DEFAULT_PUSH_RETENTION_DAYS, type Env } from '@/lib/env';
import { saveMemoryReplayStore } from '@/db/queries/replay-store';
import { errorText, log } from '@/lib/log';
import { OutboxDispatcher } from '@/lib/outbox/dispatcher';
import { startOutboxWorker } from '@/lib/outbox/worker-host';
import type { WechatAccount } from '@/lib/wechat-account/account';
import { kfApiFor } from '@/lib/wechat-account/api-client';
import { WechatCrypto } from '@/lib/wechat/crypto';
import type { KfApi } from '@/lib/wechat/kf-api';
import { startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';
import { startMetricsRollup } from './metrics-rollup';
import { AGENT_SYNC_JOB, syncAgents } from './agents';
import { startFollowerRemarkSync } from './follower-remark-sync';
import { startPushRetention } from './push-retention';
import { startEmbeddedMaintenance, startExpirySweep, startReplaySweep } from './sweeps';
import { startTranscriptSync } from './transcripts';
import { startReconciliation } from './reconcile';
import { createWebhook, type Webhook, type WebhookRequest, type WebhookResponse } from './webhook';
import { DEFAULT_MAX_SKEW_SECONDS } from './webhook-query';

export interface WechatRuntime {
  kf: KfApi;
  dispatcher: OutboxDispatcher;
  /** For the HTTP listener, which checks the query before it reads a body (lib/server/webhook-http.ts). */
  webhook: Webhook;
  handleWebhook(request: WebhookRequest): Promise<WebhookResponse>;
  /**
   * Resolves once the first agent sync has ended or `agentSyncStartWaitMs` has passed: the listener
   * waits for it before answering pushes, so a keyword right after start finds the account's agents.
   */
  agentsReady: Promise<void>;
  stop(): Promise<void>;
}

const runtimeLog = log.child({ module: 'wechat' });

export interface OutboxThread {
  /** The bundled worker (scripts/bundle-server.mjs). */
  workerFile: string;
  databaseUrl: string;
}

/**
 * On Postgres, the background dispatcher runs on a thread of its own with its own small pool, so
 * sending never holds up the webhook's event loop. PGlite is one connection, which only this thread
 * holds (even when PGlite runs in a thread of its own), and without the bundled worker (development)
 * the dispatcher stays here too.
 */
export function outboxThreadFor(config: Env, database: DatabaseHandle, workerFile: string | undefined): OutboxThread | undefined {
  if (database.kind !== 'postgres' || !config.DATABASE_URL || !workerFile) return undefined;
  if (!fs.existsSync(workerFile)) {
    runtimeLog.warn({ workerFile }, 'outbox worker not built; sending from the server thread');
    return undefined;
  }
  return { workerFile, databaseUrl: config.DATABASE_URL };
}

/** The runtime for a given account; tests pass the fake's account and a database of their own. */
export function createWechatRuntime(opts: {
  account: WechatAccount;
  database: () => DatabaseHandle;
  startBackground?: boolean;
  now?: () => Date;
  /** WECHAT_MAX_SKEW_SECONDS: how old (or ahead) a push's query timestamp may be. */
  maxSkewSeconds?: number;
  /** Run the background dispatcher on a thread of its own (outboxThreadFor). */
  outboxThread?: OutboxThread;
  /** AGENT_SYNC_MINUTES: how often the customer-service accounts are read from WeChat. */
  agentSyncMinutes?: number;
  /** How long the start waits for the first agent sync before answering anyway. */
  agentSyncStartWaitMs?: number;
  /** PUSH_RETENTION_DAYS: pushes older than this are deleted; 0 keeps them all. */
  pushRetentionDays?: number;
  /** How long a push waits for the database before it is answered 503 (tests shorten it; DATABASE_DEADLINE_MS). */
  databaseDeadlineMs?: number;
}): WechatRuntime {
  const { account } = opts;
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
  const sender = outboxThread ?? dispatcher;
  const stopSweeps = background
    ? [
        startExpirySweep(opts.database, { onQueued: () => sender.wake() }),
        startReplaySweep(opts.database, opts.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS),
        startEmbeddedMaintenance(opts.database),
      ]
    : [];
  const { agentSync, agentsReady } = background
    ? startAgentSync({ database: opts.database, kf, now: opts.now, minutes: opts.agentSyncMinutes ?? 5, startWaitMs: opts.agentSyncStartWaitMs ?? 5000 })
    : { agentSync: undefined, agentsReady: Promise.resolve() };
  // The live page's safety net (issue 16): drift from a missed kf_* event, every two minutes.
  const reconciliation = background ? startReconciliation(opts.database, kf, { now: opts.now }) : undefined;
  // Chat records from WeChat into session transcripts (issue 17), one instance at a time.
  const transcriptPull = background ? startTranscriptSync(opts.database, kf) : undefined;
  // Finished days summed for /metrics (issue 17), one instance at a time.
  const metricsRollup = background ? startMetricsRollup(opts.database) : undefined;
  // Followers' remarks read back from WeChat, so the console shows who someone is, one instance at a time.
  const remarkSync = background ? startFollowerRemarkSync(opts.database, kf) : undefined;
  // The push ledger kept for PUSH_RETENTION_DAYS, one instance at a time.
  const pushRetention = background ? startPushRetention(opts.database, opts.pushRetentionDays ?? DEFAULT_PUSH_RETENTION_DAYS) : undefined;

  const webhook = createWebhook({
    token: account.token,
    crypto,
    database: opts.database,
    now: opts.now,
    maxSkewSeconds: opts.maxSkewSeconds,
    databaseDeadlineMs: opts.databaseDeadlineMs,
    // Whatever this push queued should go out now, not at the next poll.
    onOutboundQueued: () => sender.wake(),
    // An agent made in WeChat since the last sync took a chat: learn who they are now, not in minutes.
    onUnknownAgent: agentSync ? syncAtMostEvery(agentSync, UNKNOWN_AGENT_SYNC_GAP_MS) : undefined,
  });

  return {
    kf,
    dispatcher,
    webhook,
    handleWebhook: webhook.handle,
    agentsReady,
    async stop() {
      for (const stop of stopSweeps) stop();
      await Promise.all([dispatcher.stop(), outboxThread?.stop(), transcriptPull?.stop(), metricsRollup?.stop(), remarkSync?.stop(), pushRetention?.stop(), agentSync?.stop(), reconciliation?.stop()]);
      await saveReplayStore(opts.database);
    },
  };
}

/**
 * On PGlite the webhook's replay store is in memory (db/queries/replay-store.ts): written to its table
 * at a clean stop, after the listener has stopped taking pushes, so a push captured just before a
 * restart is still refused with another body after it.
 */
async function saveReplayStore(database: () => DatabaseHandle): Promise<void> {
  try {
    const saved = await saveMemoryReplayStore(database());
    if (saved > 0) runtimeLog.info({ saved }, 'saved the replay store for the next start');
  } catch (error) {
    runtimeLog.warn({ err: errorText(error) }, 'could not save the replay store; pushes of the last minutes could be replayed after the restart');
  }
}

/** However many events name agents not synced yet, the sync they ask for runs at most this often. */
export const UNKNOWN_AGENT_SYNC_GAP_MS = 60_000;

/** A request for agentSync.runNow that runs at most once every gapMs (the first at once). */
export function syncAtMostEvery(agentSync: Pick<PeriodicJob, 'runNow'>, gapMs: number, clock: () => number = Date.now): () => void {
  let last = -Infinity;
  return () => {
    const now = clock();
    if (now - last < gapMs) return;
    last = now;
    void agentSync.runNow();
  };
}

/**
 * Agents come from WeChat: synced at start (the start waits a few seconds for it), then every few
 * minutes, retrying sooner while WeChat does not answer.
 */
function startAgentSync(opts: {
  database: () => DatabaseHandle;
  kf: KfApi;
  now?: () => Date;
  minutes: number;
  startWaitMs: number;
}): { agentSync: PeriodicJob; agentsReady: Promise<void> } {
  let firstRunEnded!: () => void;
  const firstRun = new Promise<void>((resolve) => (firstRunEnded = resolve));
  const agentSync = startPeriodicJob(opts.database, {
    name: AGENT_SYNC_JOB,
    everyMs: opts.minutes * 60_000,
    firstMs: 0,
    retryFromMs: 5_000,
    // Another instance starting at the same moment may hold the sync: run right after it.
    busyRetryUntilRunMs: 200,
    summarize: (result) => result,
    run: async () => {
      try {
        return await syncAgents({ database: opts.database(), kf: opts.kf, now: opts.now });
      } finally {
        firstRunEnded();
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      runtimeLog.warn({ waitedMs: opts.startWaitMs }, 'WeChat did not answer the first agent sync in time; starting anyway, retrying in the background');
      resolve();
    }, opts.startWaitMs);
    timer.unref();
  });
  const agentsReady = Promise.race([firstRun, waited]).finally(() => clearTimeout(timer));
  return { agentSync, agentsReady };
}
