// Reconciliation: every couple of minutes, our open sessions are compared with what WeChat holds
// (getsessionlist per agent, getsession for the doubtful ones) and drift from a missed kf_* event is
// corrected: a session WeChat closed is closed here, one it assigned (or moved to another agent) is
// recorded with that agent. Each correction is written to the audit log against the session, with
// why. WeChat's API quota bounds the calls per run; a run while WeChat is unreachable is skipped.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { listLiveAgents } from '@/db/queries/live-queue';
import { recordSessionCorrection, recordWaitResumed } from '@/db/queries/session-timeline';
import { closeSessionGoneFromWechat, hasSessionEventSince, listOpenSessions, openActiveSession, resumeEndedWait, setSessionHeldBy, type CustomerSession } from '@/db/queries/customer-sessions';
import { RESUMABLE_WAIT_MS } from '@/db/queries/session-rules';
import { startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';
import { WechatNetworkError } from '@/lib/wechat/errors';
import type { KfApi } from '@/lib/wechat/kf-api';

export const RECONCILE_JOB = 'reconcile-sessions';
export const RECONCILE_EVERY_MS = 2 * 60_000;

export type DriftKind = 'closed_in_wechat' | 'assigned_in_wechat' | 'switched_in_wechat' | 'opened_in_wechat';

export interface Correction {
  sessionId: number;
  kind: DriftKind;
  kfAccount?: string;
}

export interface ReconcileResult {
  skipped?: 'wechat_unreachable';
  checked: number;
  calls: number;
  corrections: Correction[];
}

export interface ReconcileOptions {
  now?: Date;
  /** WeChat API calls one run may make (getsessionlist per agent + getsession per doubtful session). */
  maxCalls?: number;
  /** Open sessions compared per run. */
  maxSessions?: number;
}

export async function reconcileSessions(database: DatabaseHandle, kf: KfApi, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = opts.now ?? new Date();
  const maxCalls = opts.maxCalls ?? 200;
  const result: ReconcileResult = { checked: 0, calls: 0, corrections: [] };
  const db = database.db;
  // WeChat's lists are read from now on, while session events keep arriving: a follower with an event
  // made since then (CreateTime is in whole seconds, so from the start of this second) is left as
  // the event put it, else a close or switch made during the run would be undone from a list read
  // before it. The next run looks again.
  const noEventSince = new Date(Math.floor(now.getTime() / 1000) * 1000);

  // Who holds whom in WeChat, one call per agent we know.
  const heldBy = new Map<string, string>();
  const agentRows = await listLiveAgents(db, now);
  try {
    for (const agent of agentRows) {
      if (result.calls >= maxCalls) break;
      result.calls++;
      for (const item of await kf.getSessionList(agent.kfAccount)) heldBy.set(item.openid, agent.kfAccount);
    }
  } catch (error) {
    if (error instanceof WechatNetworkError) return { ...result, skipped: 'wechat_unreachable' };
    throw error;
  }

  const open = await listOpenSessions(db, { limit: opts.maxSessions ?? 1000 });
  const openByOpenid = new Map(open.map((s) => [s.openid, s]));
  for (const session of open) {
    result.checked++;
    let holder = heldBy.get(session.openid);
    // An active session no agent we know lists: ask WeChat about this follower (an agent we have not
    // synced yet may hold it). A waiting one not held is simply still waiting.
    if (holder === undefined && session.status === 'active') {
      if (result.calls >= maxCalls) continue;
      result.calls++;
      try {
        holder = (await kf.getSession(session.openid)).kf_account || undefined;
      } catch (error) {
        if (error instanceof WechatNetworkError) return { ...result, skipped: 'wechat_unreachable' };
        throw error;
      }
      if (holder === undefined) {
        await correct(database, result, session, 'closed_in_wechat', () => closeSessionGoneFromWechat(db, { id: session.id, now, noEventSince }), now);
        continue;
      }
    }
    if (holder === undefined || (session.status === 'active' && session.kfAccount === holder)) continue;
    const kind: DriftKind = session.status === 'waiting' ? 'assigned_in_wechat' : 'switched_in_wechat';
    const kfAccount = holder;
    await correct(database, result, session, kind, () => setSessionHeldBy(db, { id: session.id, kfAccount, now, noEventSince }), now, kfAccount);
  }

  // Held in WeChat with no open session here: an accept whose event never reached us. As on the
  // event's own path (flow.ts), a wait that had ended here unserved is resumed rather than a new,
  // 0-second session opened beside it.
  for (const [openid, kfAccount] of heldBy) {
    if (openByOpenid.has(openid)) continue;
    const opened = await db.transaction(async (tx) => {
      // Closed (or accepted afresh) by an event the lists predate.
      if (await hasSessionEventSince(tx, { openid, eventAt: noEventSince })) return undefined;
      const resumed = await resumeEndedWait(tx, { openid, kfAccount, now, endedSince: new Date(now.getTime() - RESUMABLE_WAIT_MS), eventAt: now });
      if (resumed) await recordWaitResumed(tx, { sessionId: resumed.id, ...resumed, kfAccount });
      return resumed ?? (await openActiveSession(tx, { openid, kfAccount, now, eventAt: now }));
    });
    if (opened) await record(database, result, { sessionId: opened.id, kind: 'opened_in_wechat', kfAccount }, now);
  }
  return result;
}

async function correct(
  database: DatabaseHandle,
  result: ReconcileResult,
  session: CustomerSession,
  kind: DriftKind,
  write: () => Promise<boolean>,
  at: Date,
  kfAccount?: string,
): Promise<void> {
  // A kf_* event may have fixed it meanwhile; then there is nothing to record.
  if (await write()) await record(database, result, { sessionId: session.id, kind, kfAccount }, at);
}

/** A correction goes into the session's timeline (session_events 'corrected'), where staff read its history. */
async function record(database: DatabaseHandle, result: ReconcileResult, correction: Correction, at: Date): Promise<void> {
  result.corrections.push(correction);
  await recordSessionCorrection(database.db, { sessionId: correction.sessionId, drift: correction.kind, kfAccount: correction.kfAccount ?? null, at });
}

/** The background job (lib/kf/runtime.ts starts it): one instance at a time, recorded in job_runs. */
export function startReconciliation(database: () => DatabaseHandle, kf: KfApi, opts: { everyMs?: number; now?: () => Date } = {}): PeriodicJob {
  return startPeriodicJob(database, {
    name: RECONCILE_JOB,
    everyMs: opts.everyMs ?? RECONCILE_EVERY_MS,
    retryFromMs: 15_000,
    run: () => reconcileSessions(database(), kf, { now: opts.now?.() }),
    summarize: (r) => ({ skipped: r.skipped ?? null, checked: r.checked, calls: r.calls, corrected: r.corrections.length }),
  });
}
