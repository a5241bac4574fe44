// The webhook's hot path in one statement: most pushes are ordinary messages from followers that
// need no new session and queue nothing. For those, claiming the dedupe key, renewing the
// follower's send grant, choosing the reply from their open session and storing it happen in a
// single round trip (a statement is atomic; a concurrent duplicate waits on the unique index).
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { GRANTS } from './followers';

export interface PlainMessageParams {
  dedupeKey: string;
  openid: string;
  msgType: string;
  summary: string | null;
  now: Date;
  /** Reply when the follower has no open session (the hint, or `success`). */
  replyWithoutSession: string;
  /** Reply while waiting: transfer to customer service. */
  replyWhileWaiting: string;
  /** Reply while an agent holds the session: transfer naming them, as the two halves around the kf_account. */
  replyToAgent: { before: string; after: string };
}

export type PlainMessageResult = { claimed: true; reply: string } | { claimed: false };

export async function recordPlainMessage(db: DbOrTx, p: PlainMessageParams): Promise<PlainMessageResult> {
  const now = p.now.toISOString();
  const grantUntil = new Date(p.now.getTime() + GRANTS.message.validMs).toISOString();
  const result = await db.execute<{ reply: string }>(sql`
    with open_session as (
      select status, kf_account from customer_sessions
      where openid = ${p.openid} and status in ('waiting', 'active')
        and not (status = 'waiting' and wait_expires_at <= ${now}::timestamptz)
    ),
    claim as (
      insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, reply, received_at)
      select ${p.dedupeKey}, ${p.openid}, ${p.msgType}, ${p.summary}, 'done',
        case
          when s.status = 'active' and s.kf_account is not null then ${p.replyToAgent.before} || s.kf_account || ${p.replyToAgent.after}
          when s.status is not null then ${p.replyWhileWaiting}
          else ${p.replyWithoutSession}
        end,
        ${now}::timestamptz
      from (select 1) as one left join open_session as s on true
      on conflict (dedupe_key) do nothing
      returning reply
    ),
    grant_window as (
      insert into followers (openid, subscribed, last_interaction_at, message_sends_left, message_grant_expires_at)
      select ${p.openid}, true, ${now}::timestamptz, ${GRANTS.message.sends}, ${grantUntil}::timestamptz
      where exists (select 1 from claim)
      on conflict (openid) do update set
        subscribed = true,
        last_interaction_at = excluded.last_interaction_at,
        message_sends_left = excluded.message_sends_left,
        message_grant_expires_at = excluded.message_grant_expires_at
    )
    select reply from claim`);
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { reply: string }[] }).rows;
  const row = rows[0];
  return row ? { claimed: true, reply: row.reply } : { claimed: false };
}
