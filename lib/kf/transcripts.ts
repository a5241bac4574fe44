// The transcript pull: WeChat's chat records (customservice/msgrecord/getmsglist) into
// session_messages, in WeChat's 24-hour windows, each resumed from its msgid cursor
// (transcript_sync_windows), never older than WeChat keeps (30 days), each line stored once.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { countSessionTranscript, findSyncWindow, insertTranscriptRecords, latestSyncWindow, listOpenSyncWindows, saveSyncWindow, type TranscriptRecord } from '@/db/queries/transcripts';
import { recordAudit } from '@/db/queries/audit-log';
import { runJob, startPeriodicJob, type PeriodicJob } from '@/lib/jobs/runner';
import type { KfApi } from '@/lib/wechat/kf-api';
import type { MsgRecord } from '@/lib/wechat/kf-types';

export const TRANSCRIPT_JOB = 'transcript-pull';
export const TRANSCRIPT_SYNC_EVERY_MS = 10 * 60_000;

const DAY = 86_400;
/** WeChat keeps 30 days of chat records (PROTOCOL.md §6.3): older windows are not asked for. */
export const RECORD_RETENTION_SECONDS = 30 * DAY;
// Asking right at the retention edge could name a second WeChat dropped while the request travelled.
const RETENTION_MARGIN_SECONDS = 3600;
// A window is finished once its end is this far past: records can appear in WeChat's history late.
const SETTLE_SECONDS = 15 * 60;
// One run asks for at most this much, so a long outage catches up over several runs within quota.
const MAX_PAGES_PER_RUN = 60;

export type RecordPager = Pick<KfApi, 'getMsgRecordPage'>;

export interface TranscriptSyncResult {
  windows: number;
  pages: number;
  fetched: number;
  added: number;
}

/** The windows this run works on: unfinished ones, then each new day up to today, none past retention. */
async function windowsToSync(database: DatabaseHandle, nowS: number): Promise<number[]> {
  const oldest = nowS - RECORD_RETENTION_SECONDS + RETENTION_MARGIN_SECONDS;
  const today = Math.floor(nowS / DAY) * DAY;
  const starts = new Set((await listOpenSyncWindows(database.db)).map((w) => w.windowStart));
  const latest = await latestSyncWindow(database.db);
  const firstNew = latest ? latest.windowStart + DAY : Math.floor(oldest / DAY) * DAY;
  for (let w = firstNew; w <= today; w += DAY) starts.add(w);
  return [...starts].filter((w) => w + DAY >= oldest).sort((a, b) => a - b);
}

export async function syncTranscripts(deps: { database: DatabaseHandle; kf: RecordPager; now?: () => Date; pageSize?: number }): Promise<TranscriptSyncResult> {
  const now = deps.now ?? (() => new Date());
  const nowS = Math.floor(now().getTime() / 1000);
  const oldest = nowS - RECORD_RETENTION_SECONDS + RETENTION_MARGIN_SECONDS;
  const result: TranscriptSyncResult = { windows: 0, pages: 0, fetched: 0, added: 0 };
  await finishWindowsPastRetention(deps.database, oldest, now());
  for (const windowStart of await windowsToSync(deps.database, nowS)) {
    if (result.pages >= MAX_PAGES_PER_RUN) break;
    result.windows++;
    const starttime = Math.max(windowStart, oldest);
    const endtime = Math.min(windowStart + DAY, nowS);
    let msgid = (await findSyncWindow(deps.database.db, { windowStart }))?.nextMsgid ?? 1;
    for (;;) {
      const page = await deps.kf.getMsgRecordPage({ starttime, endtime, msgid, number: deps.pageSize });
      result.pages++;
      result.fetched += page.records.length;
      const settled = !page.full && windowStart + DAY + SETTLE_SECONDS <= nowS;
      // Lines and cursor move together: a crash between pages resumes exactly after the last stored page.
      const added = await deps.database.db.transaction(async (tx) => {
        const n = await insertTranscriptRecords(tx, { records: toTranscriptRecords(page.records) });
        await saveSyncWindow(tx, { windowStart, nextMsgid: page.nextMsgid, addedRecords: n, completedAt: settled ? now() : null, now: now() });
        return n;
      });
      result.added += added;
      msgid = page.nextMsgid;
      if (!page.full || result.pages >= MAX_PAGES_PER_RUN) break;
    }
  }
  return result;
}

/** Unfinished windows that have fallen out of WeChat's retention are closed without asking. */
async function finishWindowsPastRetention(database: DatabaseHandle, oldest: number, now: Date): Promise<void> {
  for (const w of await listOpenSyncWindows(database.db)) {
    if (w.windowStart + DAY < oldest) await saveSyncWindow(database.db, { windowStart: w.windowStart, nextMsgid: w.nextMsgid, addedRecords: 0, completedAt: now, now });
  }
}

/**
 * Records as lines to store. WeChat gives a record no id, so identical records (same follower,
 * second, direction, agent and text) are numbered in order of appearance: the second "ok" in one
 * second is kept, and the same record fetched again (a window's shared boundary second) is not.
 */
export function toTranscriptRecords(records: MsgRecord[]): TranscriptRecord[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const key = JSON.stringify([r.openid, r.time, r.opercode, r.worker, r.text]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { openid: r.openid, opercode: r.opercode, text: r.text, sentAt: new Date(r.time * 1000), kfAccount: r.worker || null, occurrence };
  });
}

/** Runs the pull now unless another instance is running it ("busy"). */
export function runTranscriptSync(database: DatabaseHandle, kf: RecordPager, now?: () => Date) {
  return runJob(database, {
    name: TRANSCRIPT_JOB,
    run: () => syncTranscripts({ database, kf, now }),
    summarize: (r) => r,
    now,
  });
}

/** The periodic pull, started by lib/kf/runtime.ts. */
export function startTranscriptSync(database: () => DatabaseHandle, kf: RecordPager, everyMs = TRANSCRIPT_SYNC_EVERY_MS): PeriodicJob {
  return startPeriodicJob(database, {
    name: TRANSCRIPT_JOB,
    everyMs,
    firstMs: 30_000,
    retryFromMs: 60_000,
    run: () => syncTranscripts({ database: database(), kf }),
    summarize: (r) => r,
  });
}

/** A session closed so recently that the pull may not have fetched its lines yet. */
export function transcriptArriving(session: { endedAt: Date | null; status: string }, now: Date, everyMs = TRANSCRIPT_SYNC_EVERY_MS): boolean {
  if (session.status === 'waiting') return false;
  if (!session.endedAt) return true;
  return now.getTime() - session.endedAt.getTime() < everyMs + SETTLE_SECONDS * 1000;
}

const BUSY_RETRIES = 20;
const BUSY_RETRY_MS = 500;

/**
 * "Pull transcripts now" from the console: the same job under the same lock, audited. The pull
 * brings every chat's new lines, while the page it is asked from shows one session's: `here` is how
 * many that session gained meanwhile (by this pull, or one under way when it was asked).
 */
export async function pullTranscriptsNow(
  database: DatabaseHandle,
  kf: RecordPager,
  params: { userId: number; sessionId: number },
): Promise<{ busy: boolean; added: number; here: number }> {
  const before = await countSessionTranscript(database.db, { sessionId: params.sessionId });
  // A run already under way (the timer, another instance) usually ends within seconds: wait for it
  // and run once more, so the lines of a session that just closed are in when the page reloads.
  // A WeChat refusal propagates as it is: the console action words it in the reader's language.
  let outcome = await runTranscriptSync(database, kf);
  for (let tries = 0; !outcome.ran && tries < BUSY_RETRIES; tries++) {
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    outcome = await runTranscriptSync(database, kf);
  }
  await recordAudit(database.db, { userId: params.userId, action: 'transcripts.pull', detail: JSON.stringify(outcome.ran ? outcome.value : { busy: true }) });
  if (!outcome.ran) return { busy: true, added: 0, here: 0 };
  const here = (await countSessionTranscript(database.db, { sessionId: params.sessionId })) - before;
  return { busy: false, added: outcome.value.added, here };
}
