// A session's timeline, derived rather than logged: queued, accepted, closed, expired and dropped
// from customer_sessions' timestamps; the alerts from the outbox; switches and reconciliation
// corrections from session_events (the only events written, so the webhook's per-message path
// writes nothing for the timeline). Issue 16's reconciliation adds rows of kind 'corrected' with
// detail {field, from, to} and they appear here in time order.
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { findFollowerRemark } from '@/db/queries/followers';
import { historyStatus, listFollowerSessions } from '@/db/queries/session-history';
import { SESSION_END_REASON } from '@/db/queries/session-rules';
import { getUserById } from '@/db/queries/users';
import {
  findSessionById,
  listSessionEvents,
  listSessionOutbox,
  listSessionTranscript,
  positionOnArrival,
  type SessionEventRow,
  type SessionOutboxRow,
  type SessionRow,
} from '@/db/queries/session-timeline';
import { transcriptArriving } from './transcripts';
import { KEYWORD_OUTBOX_KINDS } from '@/db/queries/outbox';

export type TimelineEntry =
  | { kind: 'queued'; at: Date; position: number }
  | { kind: 'opened'; at: Date; by: string | null }
  | { kind: 'alert'; at: Date; to: string; status: string; errcode: number | null }
  | { kind: 'accepted'; at: Date; by: string | null }
  | { kind: 'switched'; at: Date; from: string | null; to: string | null }
  // staff: who assigned it from the Live page, as named now ('' for a staff member since deleted).
  | { kind: 'assigned'; at: Date; to: string | null; staff: string }
  // staff: who ended it from the console (closed_by_staff, dropped_by_staff), as named now; '' for
  // a staff member since deleted.
  | { kind: 'closed'; at: Date; by: string | null; staff?: string }
  | { kind: 'expired'; at: Date }
  | { kind: 'dropped'; at: Date; staff?: string }
  | { kind: 'unfollowed'; at: Date }
  // Its wait ended here (expired, or dropped by staff), yet an agent accepted it from WeChat's list later.
  | { kind: 'waitEnded'; at: Date; reason: 'wait_expired' | 'dropped_by_staff'; staff?: string }
  | { kind: 'corrected'; at: Date; detail: Record<string, unknown> | null };

/** Who accepted the session: the first agent switched away from, else the one holding it now. */
export function acceptedBy(session: Pick<SessionRow, 'kfAccount'>, events: Pick<SessionEventRow, 'kind' | 'fromKfAccount'>[]): string | null {
  return events.find((e) => e.kind === 'switched')?.fromKfAccount ?? session.kfAccount;
}

export function buildTimeline(input: {
  session: SessionRow;
  position: number;
  events: SessionEventRow[];
  outbox: SessionOutboxRow[];
  /** The name of the staff member who ended it from the console, if one did ('' when since deleted). */
  endedByStaff?: string;
  /** Staff names by user id, for the events that name one (assigned). */
  staffNames?: ReadonlyMap<number, string>;
}): TimelineEntry[] {
  const { session, events } = input;
  const staff = session.endReason === SESSION_END_REASON.closedByStaff || session.endReason === SESSION_END_REASON.droppedByStaff ? (input.endedByStaff ?? '') : undefined;
  // An agent may start a session with a follower who never queued (kf_create_session without a
  // wait): it starts active, accepted at the moment it was "queued", with no place-in-line message.
  const agentStarted =
    session.startedAt?.getTime() === session.queuedAt.getTime() && !input.outbox.some((o) => o.kind === KEYWORD_OUTBOX_KINDS.placeInLine);
  const entries: TimelineEntry[] = agentStarted
    ? [{ kind: 'opened', at: session.queuedAt, by: acceptedBy(session, events) }]
    : [{ kind: 'queued', at: session.queuedAt, position: input.position }];
  for (const row of input.outbox) {
    if (row.kind !== KEYWORD_OUTBOX_KINDS.agentAlert) continue;
    entries.push({ kind: 'alert', at: row.createdAt, to: row.agentNickname ?? row.agentKfAccount ?? row.openid, status: row.status, errcode: row.lastErrcode });
  }
  if (session.startedAt && !agentStarted) entries.push({ kind: 'accepted', at: session.startedAt, by: acceptedBy(session, events) });
  for (const e of events) {
    if (e.kind === 'switched') entries.push({ kind: 'switched', at: e.at, from: e.fromKfAccount, to: e.kfAccount });
    else if (e.kind === 'assigned') entries.push({ kind: 'assigned', at: e.at, to: e.kfAccount, staff: input.staffNames?.get(staffOf(e) ?? -1) ?? '' });
    else if (e.kind === 'resumed') {
      const reason = (e.detail as { endReason?: string } | null)?.endReason === 'dropped_by_staff' ? 'dropped_by_staff' : 'wait_expired';
      const staff = reason === 'dropped_by_staff' ? (input.staffNames?.get(staffOf(e) ?? -1) ?? '') : undefined;
      entries.push({ kind: 'waitEnded', at: e.at, reason, staff });
    } else entries.push({ kind: 'corrected', at: e.at, detail: (e.detail as Record<string, unknown> | null) ?? null });
  }
  if (session.endedAt) {
    if (session.status === 'closed') entries.push({ kind: 'closed', at: session.endedAt, by: session.closedByKfAccount, staff });
    else if (session.status === 'expired') entries.push({ kind: 'expired', at: session.endedAt });
    else if (session.endReason === SESSION_END_REASON.followerLeft) entries.push({ kind: 'unfollowed', at: session.endedAt });
    else if (session.status === 'abandoned') entries.push({ kind: 'dropped', at: session.endedAt, staff });
  }
  // Stable: entries at the same instant keep the order above (queued before its alerts, …).
  return entries.map((e, i) => [e, i] as const).sort((a, b) => a[0].at.getTime() - b[0].at.getTime() || a[1] - b[1]).map(([e]) => e);
}

/** The staff member an event names: who assigned ('assigned'), or who had dropped the wait it resumed ('resumed'). */
function staffOf(e: Pick<SessionEventRow, 'kind' | 'detail'>): number | undefined {
  const detail = e.detail as { userId?: unknown; endedByUserId?: unknown } | null;
  const userId = e.kind === 'assigned' ? detail?.userId : e.kind === 'resumed' ? detail?.endedByUserId : undefined;
  return typeof userId === 'number' ? userId : undefined;
}

/** Everything /sessions/[id] shows, or undefined when there is no such session. */
export async function loadSessionDetail(db: DbOrTx, params: { id: number; now: Date }) {
  const session = await findSessionById(db, { id: params.id });
  if (!session) return undefined;
  const [position, events, outboxRows, transcript, others, follower] = await Promise.all([
    positionOnArrival(db, { session }),
    listSessionEvents(db, { sessionId: session.id }),
    listSessionOutbox(db, { session, now: params.now }),
    listSessionTranscript(db, { sessionId: session.id }),
    listFollowerSessions(db, { openid: session.openid, exceptId: session.id }),
    findFollowerRemark(db, { openid: session.openid }),
  ]);
  const endedBy = session.endedByUserId === null ? undefined : await getUserById(db, { id: session.endedByUserId });
  // Staff named by the events (assignments, a resumed drop): a handful at most.
  const staffNames = new Map<number, string>();
  for (const id of new Set(events.map(staffOf).filter((id) => id !== undefined))) {
    const user = await getUserById(db, { id });
    if (user) staffNames.set(id, user.name || user.email);
  }
  return {
    session: { ...session, historyStatus: historyStatus(session.status) },
    remark: follower?.remark ?? null,
    timeline: buildTimeline({ session, position, events, outbox: outboxRows, endedByStaff: endedBy?.name ?? endedBy?.email, staffNames }),
    messages: outboxRows,
    transcript,
    transcriptArriving: transcript.length === 0 && transcriptArriving(session, params.now),
    others,
  };
}
