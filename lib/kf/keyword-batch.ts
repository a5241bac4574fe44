// A follower's keyword (「客服」): queue them, tell them their place in line, alert the agents and
// hand them to customer service. Keywords that arrive together are handled as one batch in one
// transaction of two statements (db/queries/keyword-messages.ts); this module decides in between.
import type { DatabaseHandle } from '@/db/client';
import { storedReplies } from '@/db/queries/inbound-messages';
import {
  applyKeywordDecisions,
  claimedKeywords,
  claimKeywordPushes,
  isSessionRaceLost,
  type ClaimedKeyword,
  type ClaimKeywordsRow,
  type KeywordOutboxRow,
  type KeywordPush,
} from '@/db/queries/keyword-messages';
import { rawExecutor, twoStepTransaction } from '@/db/queries/raw';
import type { FlowReply } from './flow';
import { OUTBOX_PRIORITY, textPayload } from './outbox-messages';
import { isOpen } from './service-hours';
import type { KfSettings } from './settings';
import { baseVars, offHoursText, renderText } from './texts';

export interface KeywordPlan {
  /** The reply to each claimed push, by dedupe key. */
  replies: Map<string, FlowReply>;
  /** Followers to open a waiting session for, in queue order. */
  open: string[];
  outbox: KeywordOutboxRow[];
}

/** What the batch knows of a follower's session; one opened by this batch has no id yet. */
type KnownSession = { status: 'active'; kfAccount: string | null } | { status: 'waiting'; id?: number };

/**
 * Decides a batch: pushes in arrival order, the claimed ones with what the transaction saw. A
 * session opened earlier in the batch counts as waiting for the pushes after it, and each new
 * session joins the end of the queue.
 */
export function planKeywordBatch(
  pushes: Pick<KeywordPush, 'dedupeKey' | 'openid'>[],
  claimed: Map<string, ClaimedKeyword>,
  settings: KfSettings,
  now: Date,
): KeywordPlan {
  const plan: KeywordPlan = { replies: new Map(), open: [], outbox: [] };
  const seen = claimed.values().next().value;
  if (!seen) return plan;

  const sessions = new Map<string, KnownSession>();
  for (const c of claimed.values()) if (c.session) sessions.set(c.openid, c.session);
  const serviceOpen = isOpen(settings.hours, now);

  for (const push of pushes) {
    if (!claimed.has(push.dedupeKey)) continue;
    const { openid } = push;
    const session = sessions.get(openid);
    let reply: FlowReply;
    if (session?.status === 'active') {
      // WeChat stops forwarding to the agent after 30 idle minutes; naming the agent puts the
      // follower straight back with them instead of into the general queue.
      reply = { type: 'transfer', kfAccount: session.kfAccount ?? undefined };
    } else if (session?.status === 'waiting') {
      plan.outbox.push(queueUpdate(settings, openid, session));
      reply = { type: 'transfer' };
    } else if (!serviceOpen) {
      reply = { type: 'text', content: offHoursText(settings, now) };
    } else if (seen.activeAgents === 0) {
      reply = { type: 'text', content: renderText(settings, 'noAgents') };
    } else {
      const opened: KnownSession = { status: 'waiting' };
      sessions.set(openid, opened);
      plan.open.push(openid);
      plan.outbox.push(queueUpdate(settings, openid, opened));
      for (const agentOpenid of seen.alertOpenids) plan.outbox.push(agentAlert(settings, agentOpenid, openid));
      reply = { type: 'transfer' };
    }
    plan.replies.set(push.dedupeKey, reply);
  }
  return plan;
}

// The place in line is filled in when the message is sent (lib/outbox/dispatcher.ts): the follower
// learns the place they hold then, and the line is numbered once per outbox batch rather than for
// every keyword. Stale once the session stops waiting; a session opened by this batch gets its id
// from the statement that opens it.
function queueUpdate(settings: KfSettings, openid: string, session: Extract<KnownSession, { status: 'waiting' }>): KeywordOutboxRow {
  const tied = session.id === undefined ? {} : { whileWaiting: session.id };
  return {
    kind: 'queue_position',
    openid,
    priority: OUTBOX_PRIORITY.queuePosition,
    payload: textPayload(settings.templates.queue, { ...tied, placeVars: baseVars(settings) }),
    newSessionOf: session.id === undefined ? openid : undefined,
  };
}

// An agent's alert, like a place in line, counts the line when it is sent, and is dropped if an agent
// has taken the follower by then: nobody needs to hurry for a follower already served.
function agentAlert(settings: KfSettings, agentOpenid: string, followerOpenid: string): KeywordOutboxRow {
  return {
    kind: 'agent_alert',
    openid: agentOpenid,
    priority: OUTBOX_PRIORITY.agentAlert,
    payload: textPayload(settings.templates.agentAlert, { placeVars: baseVars(settings) }),
    newSessionOf: followerOpenid,
  };
}

export interface KeywordItem {
  push: KeywordPush;
  settings: KfSettings;
  now: Date;
  /** The passive reply's XML for this push. */
  toXml(reply: FlowReply): string;
}

export interface KeywordResult {
  /** The reply to send, or null when a stored push has none. */
  reply: string | null;
  queuedOutbound: boolean;
}

const RACE_ATTEMPTS = 3;

/** Handles a batch of keyword pushes at `now`; one result per item, in order. */
export async function runKeywordBatch(database: DatabaseHandle, items: KeywordItem[], now: Date): Promise<KeywordResult[]> {
  const settings = items[items.length - 1]!.settings;
  const pushes = items.map((i) => i.push);
  for (let attempt = 1; ; attempt++) {
    const replies = new Map<string, string>();
    let queuedOutbound = false;
    try {
      await twoStepTransaction<ClaimKeywordsRow, unknown>(database, claimKeywordPushes(pushes, now), (rows) => {
        const claimed = new Map(claimedKeywords(rows).map((c) => [c.dedupeKey, c]));
        const plan = planKeywordBatch(pushes, claimed, settings, now);
        const completions: { inboundId: number; reply: string }[] = [];
        for (const item of items) {
          const reply = plan.replies.get(item.push.dedupeKey);
          const c = claimed.get(item.push.dedupeKey);
          if (!reply || !c) continue;
          const xml = item.toXml(reply);
          replies.set(item.push.dedupeKey, xml);
          completions.push({ inboundId: c.inboundId, reply: xml });
        }
        queuedOutbound = plan.outbox.length > 0;
        if (completions.length === 0) return null;
        const waitExpiresAt = new Date(now.getTime() + settings.waitMinutes * 60_000);
        return applyKeywordDecisions({ open: plan.open, waitExpiresAt, outbox: plan.outbox, replies: completions }, now);
      });
    } catch (error) {
      // Another transaction (an agent accepting, another instance) opened a session for one of these
      // followers after the claim looked: the batch rolled back; decide again with it in view.
      if (isSessionRaceLost(error) && attempt < RACE_ATTEMPTS) continue;
      throw error;
    }
    // Pushes this batch did not claim were stored earlier (a retry): answer with what was stored.
    const unclaimed = pushes.map((p) => p.dedupeKey).filter((key) => !replies.has(key));
    const retries = unclaimed.length > 0 ? await storedReplies(rawExecutor(database), unclaimed) : new Map<string, string | null>();
    return items.map((item) => ({
      reply: replies.get(item.push.dedupeKey) ?? retries.get(item.push.dedupeKey) ?? null,
      queuedOutbound,
    }));
  }
}
