// The remark sync: staff may name followers in WeChat's own admin too, so remarks are read back
// (user/info/batchget, 100 openids a call) for followers with an open session or one in the last
// week, at most once a day each. Every minute for open sessions and those ended in the last few
// minutes, never-read first, so someone who just queued (or came and went within a minute) is named
// within a minute; every RECENT_EVERY_RUNS runs also the last week's followers (a costlier read). A bounded number of calls per run; skipped while WeChat is unreachable. Never
// on the webhook's path.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { listRemarkCandidates, type FetchedRemark } from '@/db/queries/followers';
import { startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';
import type { KfApi } from '@/lib/wechat/kf-api';
import { USER_INFO_BATCH_MAX } from '@/lib/wechat/user-info';
import { saveRemarks } from './follower-remarks';

export const REMARK_SYNC_JOB = 'follower-remarks';
export const REMARK_SYNC_EVERY_MS = 60_000;
// The week's read groups a week of sessions: about 340 ms on a million sessions and 500,000
// followers (Postgres 15, this machine), against 5 ms for the open ones; so every 15 minutes.
const RECENT_EVERY_RUNS = 15;
const STALE_AFTER_MS = 86_400_000;
const RECENT_MS = 7 * 86_400_000;
// Sessions ended this recently count as open for the minute's read: a few runs' margin, so one
// failed run does not leave a short session's follower to the week's read.
const JUST_ENDED_MS = 5 * 60_000;
/** batchget calls one run may make: up to 1,000 followers a minute. */
export const REMARK_SYNC_MAX_CALLS = 10;

export type RemarkReader = Pick<KfApi, 'batchGetUserInfo'>;

export interface RemarkSyncResult {
  scope: 'open' | 'recent';
  skipped?: 'wechat_unreachable';
  calls: number;
  /** Followers whose remark was read (or found unknown to WeChat) and stored. */
  checked: number;
  /** Of those, whose remark changed. */
  changed: number;
  /** Openids WeChat answered 40003 for: not (or no longer) followers of this account. */
  unknown: number;
}

export async function syncFollowerRemarks(deps: {
  database: DatabaseHandle;
  kf: RemarkReader;
  scope: 'open' | 'recent';
  now?: () => Date;
  maxCalls?: number;
}): Promise<RemarkSyncResult> {
  const now = deps.now ?? (() => new Date());
  const maxCalls = deps.maxCalls ?? REMARK_SYNC_MAX_CALLS;
  const { db } = deps.database;
  const at = now().getTime();
  const result: RemarkSyncResult = { scope: deps.scope, calls: 0, checked: 0, changed: 0, unknown: 0 };
  const openids = await listRemarkCandidates(db, {
    scope: deps.scope,
    since: new Date(at - RECENT_MS),
    endedSince: new Date(at - JUST_ENDED_MS),
    staleBefore: new Date(at - STALE_AFTER_MS),
    limit: maxCalls * USER_INFO_BATCH_MAX,
  });
  const batches: string[][] = [];
  for (let i = 0; i < openids.length; i += USER_INFO_BATCH_MAX) batches.push(openids.slice(i, i + USER_INFO_BATCH_MAX));

  // Stamped with when WeChat was asked, so a rename in the console meanwhile is not undone.
  const store = async (remarks: FetchedRemark[], askedAt: Date) => {
    const stored = await db.transaction((tx) => saveRemarks(tx, remarks, askedAt));
    result.checked += stored.length;
    result.changed += stored.filter((r) => r.previous !== r.remark).length;
  };

  while (batches.length > 0 && result.calls < maxCalls) {
    const batch = batches.shift()!;
    const askedAt = now();
    result.calls++;
    try {
      const infos = new Map((await deps.kf.batchGetUserInfo(batch)).map((info) => [info.openid, info.remark]));
      await store(batch.map((openid) => ({ openid, remark: infos.get(openid) })), askedAt);
    } catch (error) {
      if (error instanceof WechatNetworkError) return { ...result, skipped: 'wechat_unreachable' };
      if (!(error instanceof WechatApiError) || error.errcode !== 40003) throw error;
      // One openid WeChat does not know fails the whole call: halve the batch (the halves first, so
      // a run's calls go to finding it) until it stands alone, then mark it read, remark kept, so it
      // is asked again tomorrow rather than every minute.
      if (batch.length === 1) {
        result.unknown++;
        await store([{ openid: batch[0]!, remark: undefined }], askedAt);
      } else {
        const half = Math.ceil(batch.length / 2);
        batches.unshift(batch.slice(0, half), batch.slice(half));
      }
    }
  }
  return result;
}

/** The periodic sync, started by lib/kf/runtime.ts. */
export function startFollowerRemarkSync(database: () => DatabaseHandle, kf: RemarkReader, everyMs = REMARK_SYNC_EVERY_MS): PeriodicJob {
  let runs = 0;
  return startPeriodicJob(database, {
    name: REMARK_SYNC_JOB,
    everyMs,
    firstMs: 10_000,
    // The first run after start walks the last week too.
    run: () => syncFollowerRemarks({ database: database(), kf, scope: runs++ % RECENT_EVERY_RUNS === 0 ? 'recent' : 'open' }),
    summarize: (r) => r,
  });
}
