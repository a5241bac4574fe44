// A follower's keyword (「客服」): queue them, tell them their place in line, alert the agents and
// hand them to customer service. Keywords that arrive together are handled as one batch: this module
// prepares every reply a push may get (routing.ts builds them), and db/queries/keyword-messages.ts
// decides each push's route by routing.ts's table and writes the batch in one transaction sent in
// one round trip.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { storedReplies } from '@/db/queries/inbound-messages';
import { isSessionRaceLost, keywordStatements, type DecidedKeyword, type KeywordPush } from '@/db/queries/keyword-messages';
import { pipelinedTransaction, rawExecutor } from '@/db/queries/raw';
import { OUTBOX_PRIORITY, textPayload } from '@/lib/outbox/payloads';
import type { ReplyTarget } from '@/lib/wechat/replies';
import { replyAroundAgent, routeReply, type Route, type RouteTexts } from './routing';
import { isOpen } from '@/lib/service-hours';
import type { KfSettings } from './settings';
import { baseVars, offHoursText, renderText } from './texts';

export interface KeywordItem {
  push: Omit<KeywordPush, 'replies'>;
  /** The push being answered: the reply goes back to its sender. */
  target: ReplyTarget;
  settings: KfSettings;
  now: Date;
}

export interface KeywordResult {
  /** The reply to send, or null when a stored push has none. */
  reply: string | null;
  /** The route this batch took for the push; undefined for a push stored earlier (a retry). */
  route?: Route;
  queuedOutbound: boolean;
  /** Refused: its signed query was stored with another body (db/queries/replay-store.ts). Nothing was stored. */
  replayed?: boolean;
}

const RACE_ATTEMPTS = 3;

// Service hours change only on the minute (every UTC offset is whole minutes), so the answer is kept
// per settings object (replaced, never changed) for the minute it was asked in.
const openCache = new WeakMap<KfSettings, { minute: number; open: boolean }>();
function openAt(settings: KfSettings, now: Date): boolean {
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = openCache.get(settings);
  if (cached?.minute === minute) return cached.open;
  const open = isOpen(settings.hours, now);
  openCache.set(settings, { minute, open });
  return open;
}

/**
 * Handles a batch of keyword pushes at `now`; one result per item, in order. On Postgres each of its
 * statements may take `statementTimeoutMs` at most (the webhook gives its deadline): a keyword held
 * up longer (a lock, a stalled disk) is rolled back rather than acting later, perhaps after WeChat,
 * answered 503 each time, gave up on it and told the follower the account cannot serve them. Then a
 * waiting session and its place in line would say they were queued when WeChat never transferred
 * them. A retry that comes in time does the work afresh. (An ordinary message held up is still
 * stored when the database answers: it acts on nothing.)
 */
export async function runKeywordBatch(database: DatabaseHandle, items: KeywordItem[], now: Date, opts: { statementTimeoutMs?: number } = {}): Promise<KeywordResult[]> {
  const settings = items[items.length - 1]!.settings;
  // Whether the hours are open is the one fact decided here, for the whole batch: the statement
  // routes a push off_hours exactly when it is given the off-hours reply.
  const texts: RouteTexts = {
    offHours: openAt(settings, now) ? null : offHoursText(settings, now),
    noAgents: renderText(settings, 'noAgents'),
  };
  const pushes: KeywordPush[] = items.map(({ push, target, now: at }) => ({
    ...push,
    replies: {
      transfer: routeReply('open', target, at, texts),
      toAgent: replyAroundAgent(target, at),
      offHours: texts.offHours ? routeReply('off_hours', target, at, texts) : null,
      noAgents: routeReply('no_agents', target, at, texts),
    },
  }));
  const statements = keywordStatements(pushes, {
    now,
    waitExpiresAt: new Date(now.getTime() + settings.waitMinutes * 60_000),
    outbox: queuedMessages(settings),
  });

  let decided: DecidedKeyword[];
  let refused: { dedupe_key: string }[];
  for (let attempt = 1; ; attempt++) {
    try {
      [refused, decided] = (await pipelinedTransaction(database, statements, opts)) as [{ dedupe_key: string }[], DecidedKeyword[]];
      break;
    } catch (error) {
      // Another transaction (a session event, another instance) opened a session for one of these
      // followers after the batch looked: it rolled back; decide again with that session in view.
      if (isSessionRaceLost(error) && attempt < RACE_ATTEMPTS) continue;
      throw error;
    }
  }
  const byKey = new Map(decided.map((row) => [row.dedupe_key, row]));
  const queuedOutbound = decided.some((row) => row.queued);
  const replays = new Set(refused.map((row) => row.dedupe_key));
  // Pushes this batch did not claim were stored earlier (a retry): answer with what was stored.
  const unclaimed = pushes.filter((p) => !byKey.has(p.dedupeKey) && !replays.has(p.dedupeKey));
  const retries = unclaimed.length > 0 ? await storedReplies(rawExecutor(database), unclaimed) : new Map<string, string | null>();
  return items.map((item) => {
    if (replays.has(item.push.dedupeKey)) return { reply: null, queuedOutbound: false, replayed: true };
    const row = byKey.get(item.push.dedupeKey);
    return { reply: row?.reply ?? retries.get(item.push.dedupeKey) ?? null, route: row?.route, queuedOutbound };
  });
}

const placeInLineRows = new WeakMap<KfSettings, { payload: string; priority: number } | null>();

/**
 * The place-in-line row a follower already in line is sent again when they repeat the keyword (the
 * ordinary statement queues it, db/queries/plain-message.ts), or null when the settings turn
 * repeatPosition off. Kept per settings object (replaced, never changed).
 */
export function placeInLineRow(settings: KfSettings): { payload: string; priority: number } | null {
  let row = placeInLineRows.get(settings);
  if (row === undefined) {
    const queued = queuedMessages(settings);
    row = queued.repeatPosition ? { payload: JSON.stringify(queued.queuePayload), priority: queued.queuePriority } : null;
    placeInLineRows.set(settings, row);
  }
  return row;
}

// The place in line and the agents' alert are templates filled in when the outbox sends them
// (lib/outbox/dispatcher.ts), with the session's place and the line's length at that moment: the
// line is numbered once per outbox batch rather than for every keyword. Each is tied to its session
// (whileWaiting) and dropped if that session has stopped waiting by then: a place in line is stale
// once an agent accepts, and nobody needs alerting about a follower already served.
function queuedMessages(settings: KfSettings) {
  const placeVars = baseVars(settings);
  return {
    queuePayload: textPayload(settings.templates.queue, { placeVars, noneOnline: settings.templates.queueNoneOnline }),
    queuePriority: OUTBOX_PRIORITY.queuePosition,
    alertPayload: textPayload(settings.templates.agentAlert, { placeVars }),
    alertPriority: OUTBOX_PRIORITY.agentAlert,
    repeatPosition: settings.repeatPosition,
  };
}
