// The webhook's hot path in one statement: most pushes are ordinary messages from followers that
// need no new session and queue nothing. For those, claiming the dedupe key, renewing the
// follower's send grant, choosing the reply from their open session and storing it happen in a
// single round trip (a statement is atomic; a concurrent duplicate waits on the unique index).
// It runs as a prepared statement on the driver directly: Postgres plans it once per connection
// and no query builder runs per push.
import type { DatabaseHandle } from '../client';
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

const RECORD_PLAIN_MESSAGE = `
  with open_session as (
    select status, kf_account from customer_sessions
    where openid = $2 and status in ('waiting', 'active')
      and not (status = 'waiting' and wait_expires_at <= $5::timestamptz)
  ),
  claim as (
    insert into inbound_messages (dedupe_key, openid, msg_type, summary, state, reply, received_at)
    select $1, $2, $3, $4, 'done',
      case
        when s.status = 'active' and s.kf_account is not null then $8 || s.kf_account || $9
        when s.status is not null then $7
        else $6
      end,
      $5::timestamptz
    from (select 1) as one left join open_session as s on true
    on conflict (dedupe_key) do nothing
    returning reply
  ),
  grant_window as (
    insert into followers (openid, subscribed, last_interaction_at, message_sends_left, message_grant_expires_at)
    select $2, true, $5::timestamptz, $10::int, $11::timestamptz
    where exists (select 1 from claim)
    on conflict (openid) do update set
      subscribed = true,
      last_interaction_at = excluded.last_interaction_at,
      message_sends_left = excluded.message_sends_left,
      message_grant_expires_at = excluded.message_grant_expires_at
  )
  select reply from claim`;

export async function recordPlainMessage(database: DatabaseHandle, p: PlainMessageParams): Promise<PlainMessageResult> {
  const params = [
    p.dedupeKey,
    p.openid,
    p.msgType,
    p.summary,
    p.now.toISOString(),
    p.replyWithoutSession,
    p.replyWhileWaiting,
    p.replyToAgent.before,
    p.replyToAgent.after,
    GRANTS.message.sends,
    new Date(p.now.getTime() + GRANTS.message.validMs).toISOString(),
  ];
  const rows: { reply: string }[] = database.postgres
    ? await database.postgres.unsafe<{ reply: string }[]>(RECORD_PLAIN_MESSAGE, params, { prepare: true })
    : (await database.pglite!.query<{ reply: string }>(RECORD_PLAIN_MESSAGE, params)).rows;
  const row = rows[0];
  return row ? { claimed: true, reply: row.reply } : { claimed: false };
}
