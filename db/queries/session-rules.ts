// What "open", "still waiting", "wait expired" and an end reason mean for a customer session, written
// once: in Drizzle for the query modules and as SQL fragments for the hand-written batch statements
// (keyword-messages.ts, plain-message.ts, outbox.ts). A follower has at most one open session; the
// partial unique index customer_sessions_one_open_per_openid is written with the same statuses.
import { and, eq, gt, inArray, lte, type SQL } from 'drizzle-orm';
import { customerSessions, SESSION_END_REASON } from '../schema';

export { SESSION_END_REASON, type SessionEndReason } from '../schema';

/** Statuses of a session that has not ended: the follower is queued or talking to an agent. */
export const OPEN_SESSION_STATUSES = ['waiting', 'active'] as const;

/**
 * How long after a wait ended here (expired, or dropped by staff) an agent's accept in WeChat is
 * taken as serving it (resumeEndedWait): WeChat keeps its own waiting list and says nothing of how
 * long; a day covers a queue left overnight.
 */
export const RESUMABLE_WAIT_MS = 24 * 3600_000;

// ---- Drizzle ------------------------------------------------------------------------------------

export const isOpenSession = (): SQL => inArray(customerSessions.status, [...OPEN_SESSION_STATUSES]);

/** A waiting session whose wait has run out at `now`: expired, even before the sweep marks it. */
export const isWaitExpired = (now: Date): SQL =>
  and(eq(customerSessions.status, 'waiting'), lte(customerSessions.waitExpiresAt, now))!;

/** A waiting session still in the line at `now`. */
export const isStillWaiting = (now: Date): SQL =>
  and(eq(customerSessions.status, 'waiting'), gt(customerSessions.waitExpiresAt, now))!;

export function waitHasExpired(session: { status: string; waitExpiresAt: Date | null }, now: Date): boolean {
  return session.status === 'waiting' && session.waitExpiresAt !== null && session.waitExpiresAt <= now;
}

// ---- SQL fragments, for statements written by hand; `now` is a parameter such as '$5' ------------

const OPEN_LIST = OPEN_SESSION_STATUSES.map((s) => `'${s}'`).join(', ');

/** `status in ('waiting', 'active')`, optionally qualified by a table alias. */
export const openSessionSql = (alias?: string): string => `${alias ? `${alias}.` : ''}status in (${OPEN_LIST})`;

export const waitExpiredSql = (now: string): string => `status = 'waiting' and wait_expires_at <= ${now}::timestamptz`;

export const stillWaitingSql = (now: string): string => `status = 'waiting' and wait_expires_at > ${now}::timestamptz`;

/** The SET list that ends waiting sessions whose wait ran out, as the sweep and every read do. */
export const expireWaitingSetSql = (now: string): string =>
  `status = 'expired', ended_at = ${now}::timestamptz, end_reason = '${SESSION_END_REASON.waitExpired}', updated_at = ${now}::timestamptz`;
