// Where a follower's message goes. The one place that says, for a text, an image or the keyword
// (「客服」), whether it is handed to customer service, queues the follower, or gets a text reply.
//
// The route is a function of four facts (RouteFacts); ROUTING_TABLE lists every case with its
// reason, and routeOf() decides. The webhook makes the same decision inside the database, in the
// statement that stores each push, because two of the facts (the follower's session, whether any
// agent is set up) are read there, in the same round trip:
//   every follower message    → db/queries/plain-message.ts   (session: none, waiting or active);
//                               a keyword from a follower with no open session is deferred to
//   the keyword without a session → db/queries/keyword-messages.ts (all four facts)
// Both statements follow this table, and tests/integration/routing.test.ts holds them to it, one
// push at a time and many in one batch. Replies are always built here, by lib/wechat's builders;
// the statements only choose among them (and fill the agent into transferReplyAroundAgent's reply).
// Events (follows, session changes) are not routed here: see flow.ts.
import { SUCCESS, textReply, transferReply, transferReplyAroundAgent, type ReplyAroundAgent, type ReplyTarget } from '@/lib/wechat/replies';
import { isUserMessage, type InboundMessage } from '@/lib/wechat/messages';
import { matchesKeyword } from './keywords';

export type PushKind = 'keyword' | 'text' | 'other';
export type SessionState = 'none' | 'waiting' | 'active';

export interface RouteFacts {
  /** The keyword, any other text, or another message type (image, voice, location, link…). */
  push: PushKind;
  /** The follower's open session; a wait that has run out counts as none. */
  session: SessionState;
  /** Inside service hours at the time of the push. */
  inHours: boolean;
  /** At least one agent is set up (an agent with status active). */
  agentsActive: boolean;
}

export type Route =
  | 'transfer_to_agent'
  | 'transfer'
  | 'requeue'
  | 'open'
  | 'off_hours'
  | 'no_agents'
  | 'hint'
  | 'acknowledge';

/** What each route does: its passive reply, and what it queues. */
export const ROUTE_EFFECTS: Record<Route, { reply: string; queues: string }> = {
  transfer_to_agent: { reply: 'transfer naming the agent holding the session (TransInfo/KfAccount)', queues: 'nothing' },
  transfer: { reply: 'transfer to customer service', queues: 'nothing' },
  requeue: { reply: 'transfer to customer service', queues: 'their place in line, again (unless the settings turn repeatPosition off)' },
  open: { reply: 'transfer to customer service', queues: 'a new waiting session, their place in line, an alert to every active agent with an openid' },
  off_hours: { reply: 'the off-hours text', queues: 'nothing' },
  no_agents: { reply: 'the "no agents" text', queues: 'nothing' },
  hint: { reply: 'the hint naming the keyword', queues: 'nothing' },
  acknowledge: { reply: '`success` (nothing shown)', queues: 'nothing' },
};

type OneOrMore<T> = T | readonly T[];
export interface RoutingCase {
  /** The facts this case covers; a fact left out may be anything. */
  when: { push?: OneOrMore<PushKind>; session?: OneOrMore<SessionState>; inHours?: boolean; agentsActive?: boolean };
  route: Route;
  why: string;
}

/** Every case, none overlapping (routing.test.ts checks each combination of facts matches one). */
export const ROUTING_TABLE: readonly RoutingCase[] = [
  { when: { session: 'active' }, route: 'transfer_to_agent', why: 'an agent holds the session: everything goes straight to them' },
  { when: { push: 'keyword', session: 'waiting' }, route: 'requeue', why: 'already in line: tell them their place again' },
  { when: { push: ['text', 'other'], session: 'waiting' }, route: 'transfer', why: 'in line: customer service gets every message' },
  { when: { push: 'text', session: 'none' }, route: 'hint', why: 'a text outside any session: say how to reach an agent' },
  { when: { push: 'other', session: 'none' }, route: 'acknowledge', why: 'an image or voice outside any session: nothing to say' },
  { when: { push: 'keyword', session: 'none', inHours: false }, route: 'off_hours', why: 'outside service hours: say when they are' },
  { when: { push: 'keyword', session: 'none', inHours: true, agentsActive: false }, route: 'no_agents', why: 'nobody could answer' },
  { when: { push: 'keyword', session: 'none', inHours: true, agentsActive: true }, route: 'open', why: 'queue them and alert the agents' },
];

/**
 * The route for these facts. In a batch, a follower's second keyword after one that opened their
 * session is decided as waiting (requeue): the batch sees the session its first push opened.
 */
export function routeOf(facts: RouteFacts): Route {
  if (facts.session === 'active') return 'transfer_to_agent';
  if (facts.session === 'waiting') return facts.push === 'keyword' ? 'requeue' : 'transfer';
  if (facts.push === 'text') return 'hint';
  if (facts.push === 'other') return 'acknowledge';
  if (!facts.inHours) return 'off_hours';
  if (!facts.agentsActive) return 'no_agents';
  return 'open';
}

/** What kind of push a follower's message is; undefined for events, which are not routed here. */
export function pushKindOf(message: InboundMessage, keywords: string[]): PushKind | undefined {
  if (!isUserMessage(message)) return undefined;
  if (message.kind !== 'text') return 'other';
  return matchesKeyword(message.Content, keywords) ? 'keyword' : 'text';
}

/** The texts a route may reply with, rendered from the settings by the caller. */
export interface RouteTexts {
  hint?: string;
  offHours?: string | null;
  noAgents?: string;
}

/**
 * The passive reply XML for a route, to `target` (the push being answered). transfer_to_agent needs
 * the agent, which only the database statement knows: use replyAroundAgent for it.
 */
export function routeReply(route: Exclude<Route, 'transfer_to_agent'>, target: ReplyTarget, now: Date, texts: RouteTexts): string {
  switch (route) {
    case 'transfer':
    case 'requeue':
    case 'open':
      return transferReply(target, undefined, now);
    case 'off_hours':
      return textReply(target, required(texts.offHours, 'offHours'), now);
    case 'no_agents':
      return textReply(target, required(texts.noAgents, 'noAgents'), now);
    case 'hint':
      return textReply(target, required(texts.hint, 'hint'), now);
    case 'acknowledge':
      return SUCCESS;
  }
}

/** The transfer_to_agent reply, with a hole for the agent's kf_account (see transferReplyAroundAgent). */
export function replyAroundAgent(target: ReplyTarget, now: Date): ReplyAroundAgent {
  return transferReplyAroundAgent(target, now);
}

function required(text: string | null | undefined, name: string): string {
  if (text === undefined || text === null) throw new Error(`routeReply needs the ${name} text`);
  return text;
}
