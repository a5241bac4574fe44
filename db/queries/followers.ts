import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { followers } from '../schema';

export type Follower = typeof followers.$inferSelect;
export type GrantTrigger = 'message' | 'event';

export const GRANTS = {
  message: { sends: 5, validMs: 48 * 3600_000 },
  event: { sends: 3, validMs: 60_000 },
} as const;

/** A follower's message, follow, scan or menu click resets that kind of grant (grants never add up). */
export async function recordInteraction(tx: DbOrTx, params: { openid: string; trigger: GrantTrigger; now: Date }): Promise<void> {
  const grant = GRANTS[params.trigger];
  const expiresAt = new Date(params.now.getTime() + grant.validMs);
  const values =
    params.trigger === 'message'
      ? { messageSendsLeft: grant.sends, messageGrantExpiresAt: expiresAt }
      : { eventSendsLeft: grant.sends, eventGrantExpiresAt: expiresAt };
  await tx
    .insert(followers)
    .values({ openid: params.openid, subscribed: true, lastInteractionAt: params.now, ...values })
    .onConflictDoUpdate({ target: followers.openid, set: { subscribed: true, lastInteractionAt: params.now, ...values } });
}

export async function recordUnsubscribe(tx: DbOrTx, params: { openid: string; now: Date }): Promise<void> {
  const closed = { subscribed: false, messageSendsLeft: 0, eventSendsLeft: 0, lastInteractionAt: params.now };
  await tx
    .insert(followers)
    .values({ openid: params.openid, ...closed })
    .onConflictDoUpdate({ target: followers.openid, set: closed });
}

export async function getFollower(tx: DbOrTx, params: { openid: string }): Promise<Follower | undefined> {
  const [row] = await tx.select().from(followers).where(eq(followers.openid, params.openid));
  return row;
}

/** Sends WeChat should still accept for this follower now, by our own count. */
export function sendsLeft(follower: Follower, now: Date): number {
  const live = (expiresAt: Date | null, left: number) => (expiresAt && expiresAt > now ? left : 0);
  return (
    live(follower.messageGrantExpiresAt, follower.messageSendsLeft) + live(follower.eventGrantExpiresAt, follower.eventSendsLeft)
  );
}

/** Spend one send after WeChat accepted it, from the grant that expires first so none is wasted. */
export async function consumeSend(tx: DbOrTx, params: { openid: string; now: Date }): Promise<void> {
  const now = sql`${params.now.toISOString()}::timestamptz`;
  const eventLive = sql`coalesce(${followers.eventGrantExpiresAt} > ${now} and ${followers.eventSendsLeft} > 0, false)`;
  const messageLive = sql`coalesce(${followers.messageGrantExpiresAt} > ${now} and ${followers.messageSendsLeft} > 0, false)`;
  const useEvent = sql`(${eventLive} and (not ${messageLive} or ${followers.eventGrantExpiresAt} <= ${followers.messageGrantExpiresAt}))`;
  await tx
    .update(followers)
    .set({
      eventSendsLeft: sql`case when ${useEvent} then ${followers.eventSendsLeft} - 1 else ${followers.eventSendsLeft} end`,
      messageSendsLeft: sql`case when not ${useEvent} and ${messageLive} then ${followers.messageSendsLeft} - 1 else ${followers.messageSendsLeft} end`,
    })
    .where(eq(followers.openid, params.openid));
}
