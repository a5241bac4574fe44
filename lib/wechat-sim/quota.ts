// The send window for custom/send and typing (rule since 2023-06-12): a follower's message grants
// 5 messages for 48 h; a follow, a QR scan or a menu click grants 3 for 1 minute. A new trigger
// resets its own grant rather than adding to it (WeChat's quotas do not accumulate); the two kinds
// are kept apart so a menu click does not shrink the 48-hour window of an earlier message.
import { SimApiError } from './errors';
import type { Follower, GrantTrigger, SendGrant } from './state';

const GRANT_RULES: Record<GrantTrigger, { count: number; validMs: number }> = {
  message: { count: 5, validMs: 48 * 3600_000 },
  event: { count: 3, validMs: 60_000 },
};

/** Menu events that open the 3-in-1-minute window; VIEW and LOCATION do not. */
export const GRANTING_EVENTS = new Set(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg']);

export function grantWindow(follower: Follower, trigger: GrantTrigger, now: number): void {
  const rule = GRANT_RULES[trigger];
  follower.grants[trigger] = { remaining: rule.count, expiresAt: now + rule.validMs };
}

function liveGrants(follower: Follower, now: number): SendGrant[] {
  return Object.values(follower.grants).filter((g) => now < g.expiresAt);
}

/** Throws unless the OA may message this follower now (43004 unsubscribed, 45015 no window). */
export function requireWindow(follower: Follower, now: number): void {
  if (!follower.subscribed) throw new SimApiError(43004);
  if (liveGrants(follower, now).length === 0) throw new SimApiError(45015);
}

/**
 * Spends one message of the window; the grant expiring soonest goes first so none is wasted. With
 * `endless` (the benchmarks' anyoneReachable) the window never runs out, but an unsubscribed
 * follower still cannot be messaged.
 */
export function consumeSend(follower: Follower, now: number, opts: { endless?: boolean } = {}): void {
  if (opts.endless) {
    if (!follower.subscribed) throw new SimApiError(43004);
    return;
  }
  requireWindow(follower, now);
  const usable = liveGrants(follower, now)
    .filter((g) => g.remaining > 0)
    .sort((a, b) => a.expiresAt - b.expiresAt)[0];
  if (!usable) throw new SimApiError(45047);
  usable.remaining -= 1;
}

/** What is left, for snapshots and the sandbox page. */
export function remainingSends(follower: Follower, now: number): { remaining: number; expiresAt: number | undefined } {
  const live = liveGrants(follower, now);
  return {
    remaining: live.reduce((sum, g) => sum + g.remaining, 0),
    expiresAt: live.length ? Math.max(...live.map((g) => g.expiresAt)) : undefined,
  };
}
