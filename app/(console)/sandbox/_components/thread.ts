// One follower's phone, rebuilt from the fake WeChat's records: what they typed (pushes to the webhook,
// or chat records when an agent held the session), what reached them (passive replies, API messages,
// agent replies) and the session events in between, in time order.
import type { Delivered, PushRecord, RecordedCall, SimSnapshot } from '@/lib/sandbox/console';

export type ThreadItem =
  | { kind: 'typed'; at: number; text: string }
  | { kind: 'received'; at: number; text: string; source: Delivered['source']; kfAccount?: string }
  | { kind: 'event'; at: number; event: string; kfAccount?: string }
  /** A customer-service message WeChat refused (48-hour window, quota …). */
  | { kind: 'failed'; at: number; errcode: number };

const SESSION_EVENTS = new Set(['kf_create_session', 'kf_switch_session', 'kf_close_session']);

export function threadOf(
  openid: string,
  data: { pushes: PushRecord[]; deliveries: Delivered[]; records: SimSnapshot['records']; sends: RecordedCall[] },
): ThreadItem[] {
  const items: ThreadItem[] = [];
  const typed = new Set<string>();
  for (const push of data.pushes) {
    if (push.openid !== openid) continue;
    const f = push.fields as Record<string, string | undefined>;
    if (f.MsgType === 'text' && f.Content !== undefined) {
      items.push({ kind: 'typed', at: push.at, text: f.Content });
      typed.add(`${Math.floor(push.at / 1000)}:${f.Content}`);
    } else if (f.MsgType === 'event' && f.Event && SESSION_EVENTS.has(f.Event)) {
      items.push({ kind: 'event', at: push.at, event: f.Event, kfAccount: f.KfAccount ?? f.ToKfAccount });
    }
  }
  // Messages typed while an agent held the session went to the agent, not the webhook.
  for (const record of data.records) {
    if (record.openid !== openid || record.opercode !== 2003) continue;
    if (typed.has(`${record.time}:${record.text}`)) continue;
    items.push({ kind: 'typed', at: record.time * 1000, text: record.text });
  }
  for (const delivery of data.deliveries) {
    if (delivery.openid !== openid) continue;
    items.push({ kind: 'received', at: delivery.at, text: delivery.text, source: delivery.source, kfAccount: delivery.kfAccount });
  }
  for (const call of data.sends) {
    const errcode = Number((call.response as { errcode?: unknown } | undefined)?.errcode ?? 0);
    if (errcode !== 0 && (call.body as { touser?: unknown } | undefined)?.touser === openid) items.push({ kind: 'failed', at: call.at, errcode });
  }
  return items.sort((a, b) => a.at - b.at);
}

/**
 * At most `limit` of `followers`, the one whose latest push or delivery is newest first (among those
 * with none, the one added last first), and besides them every one in `always` (waiting, or with an
 * agent), so no card an agent's card names goes missing.
 */
export function lastActiveFirst<F extends { openid: string }>(
  followers: F[],
  history: { openid: string; at: number }[],
  limit: number,
  always: ReadonlySet<string> = new Set(),
): F[] {
  const lastActive = new Map<string, number>();
  for (const item of history) lastActive.set(item.openid, Math.max(lastActive.get(item.openid) ?? 0, item.at));
  return followers
    .map((follower, added) => ({ follower, added }))
    .sort((a, b) => (lastActive.get(b.follower.openid) ?? 0) - (lastActive.get(a.follower.openid) ?? 0) || b.added - a.added)
    .filter(({ follower }, rank) => rank < limit || always.has(follower.openid))
    .map(({ follower }) => follower);
}
