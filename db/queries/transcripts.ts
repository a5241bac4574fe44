// Transcript lines pulled from WeChat's chat records, and the pull's cursor per 24-hour window.
import 'server-only';
import { and, asc, count, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { customerSessions, sessionMessages, transcriptSyncWindows } from '../schema';

export type SyncWindow = typeof transcriptSyncWindows.$inferSelect;

export async function listOpenSyncWindows(db: DbOrTx): Promise<SyncWindow[]> {
  return db.select().from(transcriptSyncWindows).where(isNull(transcriptSyncWindows.completedAt)).orderBy(asc(transcriptSyncWindows.windowStart));
}

export async function latestSyncWindow(db: DbOrTx): Promise<SyncWindow | undefined> {
  const [row] = await db.select().from(transcriptSyncWindows).orderBy(sql`${transcriptSyncWindows.windowStart} desc`).limit(1);
  return row;
}

export async function findSyncWindow(db: DbOrTx, params: { windowStart: number }): Promise<SyncWindow | undefined> {
  const [row] = await db.select().from(transcriptSyncWindows).where(eq(transcriptSyncWindows.windowStart, params.windowStart));
  return row;
}

export async function saveSyncWindow(
  db: DbOrTx,
  params: { windowStart: number; nextMsgid: number; addedRecords: number; completedAt: Date | null; now: Date },
): Promise<void> {
  await db
    .insert(transcriptSyncWindows)
    .values({ windowStart: params.windowStart, nextMsgid: params.nextMsgid, records: params.addedRecords, completedAt: params.completedAt, updatedAt: params.now })
    .onConflictDoUpdate({
      target: transcriptSyncWindows.windowStart,
      set: {
        nextMsgid: params.nextMsgid,
        records: sql`${transcriptSyncWindows.records} + ${params.addedRecords}`,
        completedAt: params.completedAt,
        updatedAt: params.now,
      },
    });
}

/** How many transcript lines the session has (session_messages_session_idx). */
export async function countSessionTranscript(db: DbOrTx, params: { sessionId: number }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sessionMessages).where(eq(sessionMessages.sessionId, params.sessionId));
  return row?.n ?? 0;
}

export interface TranscriptRecord {
  openid: string;
  opercode: number;
  text: string;
  sentAt: Date;
  kfAccount: string | null;
  occurrence: number;
}

// How far around a session a line still belongs to it: WeChat's clock and ours differ a little, and
// an agent's last words may be recorded just after the close event.
const BEFORE_QUEUED = "interval '5 seconds'";
const AFTER_ENDED = "interval '2 minutes'";
const INSERT_CHUNK = 1000;

/**
 * Stores the lines not stored yet (the record key ignores a repeat) and attaches each to the
 * follower's session around its time (customer_sessions_openid_idx). Returns how many were new.
 */
export async function insertTranscriptRecords(db: DbOrTx, params: { records: TranscriptRecord[] }): Promise<number> {
  let added = 0;
  for (let i = 0; i < params.records.length; i += INSERT_CHUNK) {
    const chunk = params.records.slice(i, i + INSERT_CHUNK);
    const rows = await db
      .insert(sessionMessages)
      .values(
        chunk.map((r) => ({
          sessionId: sql`(select cs.id from ${customerSessions} cs where cs.openid = ${r.openid}
            and cs.queued_at <= ${r.sentAt.toISOString()}::timestamptz + ${sql.raw(BEFORE_QUEUED)}
            and (cs.ended_at is null or cs.ended_at + ${sql.raw(AFTER_ENDED)} >= ${r.sentAt.toISOString()}::timestamptz)
            -- The session whose own time holds the line first: a follower who asks again right after
            -- a close has a newer session whose margin reaches back over the last chat's lines.
            -- WeChat gives whole seconds, so a line may have been sent up to a second after its time.
            order by (cs.queued_at < ${r.sentAt.toISOString()}::timestamptz + interval '1 second'
              and (cs.ended_at is null or cs.ended_at >= ${r.sentAt.toISOString()}::timestamptz)) desc,
              cs.queued_at desc, cs.id desc limit 1)`,
          openid: r.openid,
          kfAccount: r.kfAccount,
          opercode: r.opercode,
          text: r.text,
          sentAt: r.sentAt,
          occurrence: r.occurrence,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: sessionMessages.id });
    added += rows.length;
  }
  return added;
}

export interface TranscriptExportLine {
  id: number;
  sessionId: number | null;
  openid: string;
  kfAccount: string | null;
  opercode: number;
  text: string;
  sentAt: Date;
}

/**
 * Lines sent from the start of `from` to the end of `to` (dates in the service time zone), oldest
 * first, a keyset batch at a time (session_messages_sent_idx).
 */
export async function* transcriptBatches(db: DbOrTx, params: { from: string; to: string; timezone: string; batchSize?: number }): AsyncGenerator<TranscriptExportLine[]> {
  const m = sessionMessages;
  let after: { sentAt: Date; id: number } | undefined;
  for (;;) {
    const rows = await db
      .select({ id: m.id, sessionId: m.sessionId, openid: m.openid, kfAccount: m.kfAccount, opercode: m.opercode, text: m.text, sentAt: m.sentAt })
      .from(m)
      .where(
        and(
          gte(m.sentAt, sql`(${params.from}::date)::timestamp at time zone ${params.timezone}`),
          lt(m.sentAt, sql`(${params.to}::date + 1)::timestamp at time zone ${params.timezone}`),
          after ? sql`(${m.sentAt}, ${m.id}) > (${after.sentAt.toISOString()}::timestamptz, ${after.id}::int)` : undefined,
        ),
      )
      .orderBy(asc(m.sentAt), asc(m.id))
      .limit(params.batchSize ?? 1000);
    if (rows.length > 0) yield rows;
    if (rows.length < (params.batchSize ?? 1000)) return;
    const last = rows.at(-1)!;
    after = { sentAt: last.sentAt, id: last.id };
  }
}
