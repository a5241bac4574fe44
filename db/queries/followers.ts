import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { followers } from '../schema';

export type GrantTrigger = 'message' | 'event';

export const GRANTS = {
  message: { sends: 5, validMs: 48 * 3600_000 },
  event: { sends: 3, validMs: 60_000 },
} as const;

/**
 * The statement part that renews the message grant of every follower a batch claimed a push for,
 * for the batched paths (plain-message.ts, keyword-messages.ts): a CTE over a `claim` CTE with an
 * openid column. Followers are locked in openid order, so concurrent batches cannot deadlock.
 * The arguments are the statement's parameter references ($n).
 */
/** A whole message grant renewed less than this long ago is not rewritten by the batched paths. */
export const RENEW_SKIP_SECONDS = 10;

export function renewMessageGrantsCte(ref: { now: string; sends: string; expiresAt: string }): string {
  return `grant_window as (
    insert into followers (openid, subscribed, last_interaction_at, message_sends_left, message_grant_expires_at)
    select distinct openid, true, ${ref.now}::timestamptz, ${ref.sends}::int, ${ref.expiresAt}::timestamptz from claim
    order by openid
    on conflict (openid) do update set
      subscribed = true,
      last_interaction_at = excluded.last_interaction_at,
      message_sends_left = excluded.message_sends_left,
      message_grant_expires_at = excluded.message_grant_expires_at
    -- A follower chatting sends several messages a minute: while the grant is whole and was renewed
    -- under RENEW_SKIP_SECONDS ago, the row is left as it is (locked, not rewritten), which spares
    -- the hot path a row version per message. The stored expiry is then at most that much early (on
    -- the safe side of WeChat's window), and the Live page's "last message" at most that much old.
    where not followers.subscribed
      or followers.message_sends_left < excluded.message_sends_left
      or followers.message_grant_expires_at is null
      or followers.message_grant_expires_at < excluded.message_grant_expires_at - interval '${RENEW_SKIP_SECONDS} seconds'
  )`;
}

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

export async function findFollower(tx: DbOrTx, params: { openid: string }) {
  const [row] = await tx.select().from(followers).where(eq(followers.openid, params.openid));
  return row;
}
