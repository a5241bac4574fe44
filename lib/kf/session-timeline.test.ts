// A session's ending, as its page tells it: staff named when they ended it from the console, an
// unfollow said as one, and a place in line given as it was, not as what the follower was told.
import { describe, expect, it } from 'vitest';
import type { SessionRow } from '@/db/queries/session-timeline';
import { buildTimeline } from './session-timeline';

const T = (minute: number) => new Date(Date.UTC(2026, 11, 7, 8, minute));

function session(over: Partial<SessionRow>): SessionRow {
  return {
    id: 1,
    openid: 'o_fan',
    status: 'waiting',
    kfAccount: null,
    closedByKfAccount: null,
    queuedAt: T(0),
    waitExpiresAt: T(30),
    startedAt: null,
    endedAt: null,
    endReason: null,
    kfEventAt: null,
    endedByUserId: null,
    createdAt: T(0),
    updatedAt: T(0),
    ...over,
  };
}

const ending = (over: Partial<SessionRow>, endedByStaff?: string) =>
  buildTimeline({ session: session(over), position: 3, events: [], outbox: [], endedByStaff }).at(-1);

describe('session timeline endings', () => {
  it('names the staff member who dropped a follower or closed a session from the console', () => {
    expect(ending({ status: 'abandoned', endedAt: T(5), endReason: 'dropped_by_staff', endedByUserId: 7 }, 'Lin')).toEqual({ kind: 'dropped', at: T(5), staff: 'Lin' });
    expect(
      ending({ status: 'closed', kfAccount: 'amy@acct', startedAt: T(1), endedAt: T(9), endReason: 'closed_by_staff', closedByKfAccount: 'amy@acct', endedByUserId: 7 }, 'Lin'),
    ).toEqual({ kind: 'closed', at: T(9), by: 'amy@acct', staff: 'Lin' });
    // A staff member deleted since: still said to be staff, not the agent.
    expect(ending({ status: 'abandoned', endedAt: T(5), endReason: 'dropped_by_staff' })).toEqual({ kind: 'dropped', at: T(5), staff: '' });
  });

  it('tells an unfollow and an agent closing apart from staff actions', () => {
    expect(ending({ status: 'abandoned', endedAt: T(4), endReason: 'follower_left' })).toEqual({ kind: 'unfollowed', at: T(4) });
    expect(ending({ status: 'closed', kfAccount: 'amy@acct', startedAt: T(1), endedAt: T(9), endReason: 'agent_closed', closedByKfAccount: 'amy@acct' })).toEqual({
      kind: 'closed',
      at: T(9),
      by: 'amy@acct',
      staff: undefined,
    });
  });
});
