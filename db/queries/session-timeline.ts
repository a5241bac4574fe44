// One session as /sessions/[id] shows it: the session row, the events written for it
// (session_events: switches, reconciliation corrections), the messages we sent for it (outbox) and
// its transcript (session_messages). The timeline itself is assembled in lib/kf/transcripts.ts.
import 'server-only';
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agents, customerSessions, outbox, sessionEvents, sessionMessages } from '../schema';
import { KEYWORD_OUTBOX_KINDS } from './outbox';

export type SessionRow = typeof customerSessions.$inferSelect;

export async function findSessionById(db: DbOrTx, params: { id: number }): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(customerSessions).where(eq(customerSessions.id, params.id));
  return row;
}

/**
 * The place in line the follower was told on arrival: sessions queued before this one (within a
 * day) that had not yet been accepted or ended by then, plus this one.
 */
export async function positionOnArrival(db: DbOrTx, params: { session: SessionRow }): Promise<number> {
  const { queuedAt, id } = params.session;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(customerSessions)
    .where(
      and(
        gte(customerSessions.queuedAt, new Date(queuedAt.getTime() - 86_400_000)),
        sql`(${customerSessions.queuedAt}, ${customerSessions.id}) < (${queuedAt.toISOString()}::timestamptz, ${id}::int)`,
        sql`coalesce(${customerSessions.startedAt}, ${customerSessions.endedAt}, 'infinity'::timestamptz) > ${queuedAt.toISOString()}::timestamptz`,
      ),
    );
  return Number(row?.n ?? 0) + 1;
}

export async function listSessionEvents(db: DbOrTx, params: { sessionId: number }) {
  return db
    .select({ id: sessionEvents.id, kind: sessionEvents.kind, at: sessionEvents.at, kfAccount: sessionEvents.kfAccount, fromKfAccount: sessionEvents.fromKfAccount, detail: sessionEvents.detail })
    .from(sessionEvents)
    .where(eq(sessionEvents.sessionId, params.sessionId))
    .orderBy(asc(sessionEvents.at), asc(sessionEvents.id));
}

export type SessionEventRow = Awaited<ReturnType<typeof listSessionEvents>>[number];

/**
 * A wait that had ended here (expired, or dropped by staff) and that an agent then accepted in WeChat
 * (resumeEndedWait): the session's own columns now say it was served, so the ending is kept here.
 */
export async function recordWaitResumed(
  db: DbOrTx,
  params: { sessionId: number; endReason: string; endedAt: Date; endedByUserId: number | null; kfAccount: string },
): Promise<void> {
  await db.insert(sessionEvents).values({
    sessionId: params.sessionId,
    kind: 'resumed',
    at: params.endedAt,
    kfAccount: params.kfAccount,
    detail: { endReason: params.endReason, endedByUserId: params.endedByUserId },
  });
}

/** Staff assigned the waiting follower to an agent from the Live page; WeChat's accept follows. */
export async function recordSessionAssigned(db: DbOrTx, params: { sessionId: number; kfAccount: string; userId: number; at: Date }): Promise<void> {
  await db.insert(sessionEvents).values({ sessionId: params.sessionId, kind: 'assigned', kfAccount: params.kfAccount, at: params.at, detail: { userId: params.userId } });
}

/** A switch, written by the flow when WeChat says kf_switch_session (not on the per-message path). */
export async function recordSessionSwitch(db: DbOrTx, params: { sessionId: number; from: string | null; to: string; at: Date }): Promise<void> {
  await db.insert(sessionEvents).values({ sessionId: params.sessionId, kind: 'switched', fromKfAccount: params.from, kfAccount: params.to, at: params.at });
}

/** The switch last recorded on a session: who handed it to whom. */
export async function latestSwitch(db: DbOrTx, params: { sessionId: number }): Promise<{ from: string | null; to: string | null } | undefined> {
  const [row] = await db
    .select({ from: sessionEvents.fromKfAccount, to: sessionEvents.kfAccount })
    .from(sessionEvents)
    .where(and(eq(sessionEvents.sessionId, params.sessionId), eq(sessionEvents.kind, 'switched')))
    .orderBy(desc(sessionEvents.at), desc(sessionEvents.id))
    .limit(1);
  return row;
}

// Each row names its session: greeting, hand-over, closing and wait-ran-out texts in payload.session,
// place-in-line messages and agent alerts in payload.whileWaiting (alerts go to the agents' own
// openids). Texts queued before payload.session existed name none: they are the follower's rows from
// the session's queueing to shortly after its end, as they were found then.
const FOLLOWER_KINDS = [KEYWORD_OUTBOX_KINDS.placeInLine, 'greeting', 'switched', 'closing', 'wait_expired'];
const AFTER_END_MS = 5 * 60_000;

export async function listSessionOutbox(db: DbOrTx, params: { session: SessionRow; now: Date }) {
  const { session } = params;
  const from = new Date(session.queuedAt.getTime() - 5_000);
  const until = new Date((session.endedAt ?? params.now).getTime() + AFTER_END_MS);
  const agentOpenids = db.select({ openid: agents.kfOpenid }).from(agents).where(isNotNull(agents.kfOpenid));
  const ownSession = sql`(${outbox.payload}->>'whileWaiting') = ${String(session.id)}`;
  const namesNoSession = sql`(${outbox.payload}->>'whileWaiting' is null and ${outbox.payload}->>'session' is null)`;
  return db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      openid: outbox.openid,
      status: outbox.status,
      attempts: outbox.attempts,
      lastErrcode: outbox.lastErrcode,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
      payload: outbox.payload,
      agentNickname: agents.nickname,
      agentKfAccount: agents.kfAccount,
    })
    .from(outbox)
    .leftJoin(agents, and(eq(agents.kfOpenid, outbox.openid), eq(outbox.kind, KEYWORD_OUTBOX_KINDS.agentAlert)))
    .where(
      and(
        gte(outbox.createdAt, from),
        lte(outbox.createdAt, until),
        or(
          and(
            eq(outbox.openid, session.openid),
            inArray(outbox.kind, FOLLOWER_KINDS),
            // This session's, not a neighbour's in the same minutes.
            sql`(${ownSession} or (${outbox.payload}->>'session') = ${String(session.id)} or ${namesNoSession})`,
          ),
          and(inArray(outbox.openid, agentOpenids), eq(outbox.kind, KEYWORD_OUTBOX_KINDS.agentAlert), ownSession),
        ),
      ),
    )
    .orderBy(asc(outbox.createdAt), asc(outbox.id));
}

export type SessionOutboxRow = Awaited<ReturnType<typeof listSessionOutbox>>[number];

export async function listSessionTranscript(db: DbOrTx, params: { sessionId: number }) {
  return db
    .select({ id: sessionMessages.id, opercode: sessionMessages.opercode, kfAccount: sessionMessages.kfAccount, text: sessionMessages.text, sentAt: sessionMessages.sentAt })
    .from(sessionMessages)
    .where(eq(sessionMessages.sessionId, params.sessionId))
    .orderBy(asc(sessionMessages.sentAt), asc(sessionMessages.id));
}

export type TranscriptLine = Awaited<ReturnType<typeof listSessionTranscript>>[number];

/** A reconciliation's correction (lib/kf/reconcile.ts), shown in the session's timeline: what drifted and to whom. */
export async function recordSessionCorrection(
  db: DbOrTx,
  params: { sessionId: number; drift: string; kfAccount: string | null; at: Date },
): Promise<void> {
  await db.insert(sessionEvents).values({
    sessionId: params.sessionId,
    kind: 'corrected',
    kfAccount: params.kfAccount,
    at: params.at,
    detail: { drift: params.drift, ...(params.kfAccount ? { kfAccount: params.kfAccount } : {}) },
  });
}
