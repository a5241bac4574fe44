import 'server-only';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { customerSessions } from '../schema';
import { isOpenSession, isStillWaiting, isWaitExpired, openSessionSql, SESSION_END_REASON, waitHasExpired, type SessionEndReason } from './session-rules';

export type CustomerSession = typeof customerSessions.$inferSelect;

/**
 * The follower's open session. A waiting session past its expiry is expired here and now, so a
 * read never disagrees with the sweep. `lock` holds its row to the end of the transaction: two of
 * WeChat's session events for one follower, handled at once, then apply one after the other, the
 * second reading what the first left.
 */
export async function findOpenSession(tx: DbOrTx, params: { openid: string; now: Date; lock?: boolean }): Promise<CustomerSession | undefined> {
  const query = tx
    .select()
    .from(customerSessions)
    .where(and(eq(customerSessions.openid, params.openid), isOpenSession()));
  const [session] = params.lock ? await query.for('update') : await query;
  if (session && waitHasExpired(session, params.now)) {
    await expireSession(tx, { id: session.id, now: params.now });
    return undefined;
  }
  return session;
}

/**
 * When WeChat made the session event being applied (`eventAt`): the session remembers the latest, so
 * an older event arriving after it is known to be overtaken (overtakenBy).
 */
const latestEventAt = (eventAt: Date | undefined) =>
  eventAt ? sql`greatest(${customerSessions.kfEventAt}, ${eventAt.toISOString()}::timestamptz)` : customerSessions.kfEventAt;

/** True when a session event made at `eventAt` is older than one already applied to the session. */
export function overtakenBy(session: Pick<CustomerSession, 'kfEventAt'>, eventAt: Date): boolean {
  return session.kfEventAt !== null && session.kfEventAt > eventAt;
}

/**
 * Whether any session of the follower has had a session event applied made at or after `eventAt`
 * (an accept arriving after the close that ended its session has been overtaken by it).
 */
export async function hasSessionEventSince(tx: DbOrTx, params: { openid: string; eventAt: Date }): Promise<boolean> {
  const [row] = await tx
    .select({ id: customerSessions.id })
    .from(customerSessions)
    .where(and(eq(customerSessions.openid, params.openid), gte(customerSessions.kfEventAt, params.eventAt)))
    .limit(1);
  return row !== undefined;
}

/**
 * Whether another session of the follower has had a session event applied made after `eventAt`
 * (strictly: one second is CreateTime's grain, and a close and the next accept may share it). An
 * accept or switch made before the previous chat's close belongs to that chat, not to this wait.
 */
export async function hasEventAfterElsewhere(tx: DbOrTx, params: { openid: string; sessionId: number; eventAt: Date }): Promise<boolean> {
  const [row] = await tx
    .select({ id: customerSessions.id })
    .from(customerSessions)
    .where(and(eq(customerSessions.openid, params.openid), ne(customerSessions.id, params.sessionId), gt(customerSessions.kfEventAt, params.eventAt)))
    .limit(1);
  return row !== undefined;
}

export async function activateSession(tx: DbOrTx, params: { id: number; kfAccount: string; now: Date; eventAt?: Date }): Promise<void> {
  await tx
    .update(customerSessions)
    .set({ status: 'active', kfAccount: params.kfAccount, startedAt: params.now, kfEventAt: latestEventAt(params.eventAt), updatedAt: params.now })
    .where(eq(customerSessions.id, params.id));
}

/**
 * An agent accepted, in WeChat's tool, a follower whose wait had ended here unserved (expired, or
 * dropped by staff) since `endedSince`: WeChat has no call to take anyone out of its own waiting
 * list, so they were still in it. That session is served after all: active again, from its own
 * queueing, so its wait counts in full. What it had ended as, or undefined when there is none.
 */
export async function resumeEndedWait(
  tx: DbOrTx,
  params: { openid: string; kfAccount: string; now: Date; endedSince: Date; eventAt?: Date },
): Promise<{ id: number; endReason: SessionEndReason; endedAt: Date; endedByUserId: number | null } | undefined> {
  const [latest] = await tx
    .select()
    .from(customerSessions)
    .where(eq(customerSessions.openid, params.openid))
    .orderBy(desc(customerSessions.queuedAt), desc(customerSessions.id))
    .limit(1);
  const resumable: readonly (string | null)[] = [SESSION_END_REASON.waitExpired, SESSION_END_REASON.droppedByStaff];
  if (!latest || latest.startedAt !== null || !latest.endedAt || latest.endedAt < params.endedSince || !resumable.includes(latest.endReason)) return undefined;
  await tx
    .update(customerSessions)
    .set({ status: 'active', kfAccount: params.kfAccount, startedAt: params.now, endedAt: null, endReason: null, endedByUserId: null, kfEventAt: latestEventAt(params.eventAt), updatedAt: params.now })
    .where(eq(customerSessions.id, latest.id));
  return { id: latest.id, endReason: latest.endReason as SessionEndReason, endedAt: latest.endedAt, endedByUserId: latest.endedByUserId };
}

/** An agent accepted a follower wekf never queued: the session starts active. */
export async function openActiveSession(
  tx: DbOrTx,
  params: { openid: string; kfAccount: string; now: Date; eventAt?: Date },
): Promise<CustomerSession | undefined> {
  const [session] = await tx
    .insert(customerSessions)
    .values({ openid: params.openid, status: 'active', kfAccount: params.kfAccount, queuedAt: params.now, startedAt: params.now, kfEventAt: params.eventAt })
    .onConflictDoNothing({ target: customerSessions.openid, where: sql.raw(openSessionSql()) })
    .returning();
  return session;
}

export async function switchSessionAgent(tx: DbOrTx, params: { id: number; kfAccount: string; now: Date; eventAt?: Date }): Promise<void> {
  await tx
    .update(customerSessions)
    .set({ kfAccount: params.kfAccount, kfEventAt: latestEventAt(params.eventAt), updatedAt: params.now })
    .where(eq(customerSessions.id, params.id));
}

export async function closeSession(
  tx: DbOrTx,
  params: { id: number; closedBy: string; now: Date; reason: SessionEndReason; eventAt?: Date },
): Promise<void> {
  // A close staff asked for from the live page (markClosingByStaff) is recorded as theirs.
  const reason = sql<SessionEndReason>`case when ${customerSessions.endedByUserId} is not null then ${SESSION_END_REASON.closedByStaff} else ${params.reason} end`;
  // A close that overtook its accept (still waiting here): the closing agent served it, from no
  // later than now.
  await tx
    .update(customerSessions)
    .set({
      status: 'closed',
      kfAccount: sql`coalesce(${customerSessions.kfAccount}, ${params.closedBy})`,
      startedAt: sql`coalesce(${customerSessions.startedAt}, ${params.now.toISOString()}::timestamptz)`,
      closedByKfAccount: params.closedBy,
      endedAt: params.now,
      endReason: reason,
      kfEventAt: latestEventAt(params.eventAt),
      updatedAt: params.now,
    })
    .where(eq(customerSessions.id, params.id));
}

// ---- The live page's actions and reconciliation (issue 16) ----------------------------------------

/** Staff asked WeChat to close this active session: its kf_close_session will be recorded as theirs (null undoes). */
export async function markClosingByStaff(tx: DbOrTx, params: { id: number; userId: number | null }): Promise<void> {
  await tx
    .update(customerSessions)
    .set({ endedByUserId: params.userId })
    .where(and(eq(customerSessions.id, params.id), eq(customerSessions.status, 'active')));
}

/**
 * Staff dropped a waiting follower from the queue (status `abandoned`, which history and metrics call
 * dropped); false when the session no longer waits.
 */
export async function dropWaitingSession(tx: DbOrTx, params: { id: number; userId: number; now: Date }): Promise<boolean> {
  const rows = await tx
    .update(customerSessions)
    .set({ status: 'abandoned', endedAt: params.now, endReason: SESSION_END_REASON.droppedByStaff, endedByUserId: params.userId, updatedAt: params.now })
    .where(and(eq(customerSessions.id, params.id), isStillWaiting(params.now)))
    .returning({ id: customerSessions.id });
  return rows.length > 0;
}

/**
 * The follower unfollowed: their place in line ends (status `abandoned`, reason follower_left), so
 * they leave the line the others are counted in; WeChat would refuse every message to them anyway.
 * An active session is left to its agent and WeChat's close event. How many ended.
 */
export async function endWaitOnUnfollow(tx: DbOrTx, params: { openid: string; now: Date }): Promise<number> {
  const rows = await tx
    .update(customerSessions)
    .set({ status: 'abandoned', endedAt: params.now, endReason: SESSION_END_REASON.followerLeft, updatedAt: params.now })
    .where(and(eq(customerSessions.openid, params.openid), isStillWaiting(params.now)))
    .returning({ id: customerSessions.id });
  return rows.length;
}

/**
 * Reconciliation: WeChat no longer holds this open session. False when it ended meanwhile, or when a
 * session event made since `noEventSince` (WeChat's lists were read from then on) already moved it:
 * the lists may predate that event. What WeChat said overtakes any event made before that is still
 * on its way.
 */
export async function closeSessionGoneFromWechat(tx: DbOrTx, params: { id: number; now: Date; noEventSince: Date }): Promise<boolean> {
  const rows = await tx
    .update(customerSessions)
    .set({ status: 'closed', endedAt: params.now, endReason: SESSION_END_REASON.closedInWechat, kfEventAt: latestEventAt(params.now), updatedAt: params.now })
    .where(and(eq(customerSessions.id, params.id), isOpenSession(), noEventSince(params.noEventSince)))
    .returning({ id: customerSessions.id });
  return rows.length > 0;
}

/**
 * Reconciliation: WeChat says this agent holds the session (a missed create or switch). False when
 * it ended meanwhile or an event since `noEventSince` moved it. As above, it overtakes session
 * events made before.
 */
export async function setSessionHeldBy(tx: DbOrTx, params: { id: number; kfAccount: string; now: Date; noEventSince: Date }): Promise<boolean> {
  const rows = await tx
    .update(customerSessions)
    .set({
      status: 'active',
      kfAccount: params.kfAccount,
      startedAt: sql`coalesce(${customerSessions.startedAt}, ${params.now.toISOString()}::timestamptz)`,
      kfEventAt: latestEventAt(params.now),
      updatedAt: params.now,
    })
    .where(and(eq(customerSessions.id, params.id), isOpenSession(), noEventSince(params.noEventSince)))
    .returning({ id: customerSessions.id });
  return rows.length > 0;
}

/** No session event made at or after `since` has been applied to the session (reconciliation's snapshot is not older than its state). */
function noEventSince(since: Date) {
  return or(isNull(customerSessions.kfEventAt), lt(customerSessions.kfEventAt, since));
}

/** Every open session, for reconciliation to compare with WeChat's (bounded by the caller's quota). */
export async function listOpenSessions(tx: DbOrTx, params: { limit: number }): Promise<CustomerSession[]> {
  return tx.select().from(customerSessions).where(isOpenSession()).orderBy(asc(customerSessions.id)).limit(params.limit);
}

/** The open sessions of these followers (customer_sessions_one_open_per_openid: at most one each). */
export async function listOpenSessionIds(tx: DbOrTx, params: { openids: string[] }): Promise<number[]> {
  if (params.openids.length === 0) return [];
  const rows = await tx
    .select({ id: customerSessions.id })
    .from(customerSessions)
    .where(and(inArray(customerSessions.openid, params.openids), isOpenSession()));
  return rows.map((r) => r.id);
}

async function expireSession(tx: DbOrTx, params: { id: number; now: Date }): Promise<void> {
  await tx
    .update(customerSessions)
    .set({ status: 'expired', endedAt: params.now, endReason: SESSION_END_REASON.waitExpired, updatedAt: params.now })
    .where(and(eq(customerSessions.id, params.id), eq(customerSessions.status, 'waiting')));
}

/**
 * The sweep: every waiting session past its expiry becomes expired. Returns each one's follower and
 * when its wait ran out (each row is returned to one caller only, however many instances sweep).
 */
export async function expireWaitingSessions(tx: DbOrTx, params: { now: Date }): Promise<{ id: number; openid: string; waitExpiresAt: Date }[]> {
  const rows = await tx
    .update(customerSessions)
    .set({ status: 'expired', endedAt: params.now, endReason: SESSION_END_REASON.waitExpired, updatedAt: params.now })
    .where(isWaitExpired(params.now))
    .returning({ id: customerSessions.id, openid: customerSessions.openid, waitExpiresAt: customerSessions.waitExpiresAt });
  return rows.map((r) => ({ id: r.id, openid: r.openid, waitExpiresAt: r.waitExpiresAt ?? params.now }));
}

/** How many customer-service sessions the follower has had (any status). */
export async function countSessionsOf(tx: DbOrTx, params: { openid: string }): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(customerSessions).where(eq(customerSessions.openid, params.openid));
  return row?.n ?? 0;
}

export async function listSessionsByOpenid(tx: DbOrTx, params: { openid: string }): Promise<CustomerSession[]> {
  return tx
    .select()
    .from(customerSessions)
    .where(eq(customerSessions.openid, params.openid))
    .orderBy(asc(customerSessions.queuedAt), asc(customerSessions.id));
}

export async function listWaitingQueue(tx: DbOrTx, params: { now: Date }): Promise<CustomerSession[]> {
  return tx
    .select()
    .from(customerSessions)
    .where(isStillWaiting(params.now))
    .orderBy(asc(customerSessions.queuedAt), asc(customerSessions.id));
}
