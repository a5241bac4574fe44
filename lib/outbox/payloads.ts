// What the domain queues for WeChat's custom/send API and how the outbox turns it into a message: the
// payload shape, and how much each send is worth when a follower's send budget is short (lower =
// more valuable; see dispatcher.ts). The domain (lib/kf) builds these; the outbox delivers them.
import 'server-only';
import { renderTemplate } from '@/lib/render-template';

export const OUTBOX_PRIORITY = {
  greeting: 1,
  agentAlert: 1,
  closing: 2,
  queuePosition: 5,
} as const;

/** Sends at or above this priority are dropped unless the follower's budget leaves room for the rest. */
export const LOW_VALUE_PRIORITY = OUTBOX_PRIORITY.queuePosition;
/** Sends kept in reserve for a waiting follower: the greeting and the closing text. */
export const RESERVED_SENDS = 2;

export interface TextPayload {
  msgtype: 'text';
  text: { content: string };
  kfAccount?: string;
  /** Send only while this session is still waiting: a place in line is stale once an agent accepts. */
  whileWaiting?: number;
  /**
   * Set on a place-in-line message and an agent alert: text.content is then the template, rendered
   * when the message is sent, with these variables and the whileWaiting session's {position} and
   * {count} at that moment.
   */
  placeVars?: Record<string, string>;
  /** A place-in-line template sent instead of text.content when, as it is sent, no agent is known to be online. */
  noneOnline?: string;
  /**
   * The session a greeting, hand-over, closing or wait-ran-out text belongs to, for its page (a
   * place in line names its session in whileWaiting). Rows queued before it was added have none.
   */
  session?: number;
}

export function textPayload(
  content: string,
  opts: { kfAccount?: string; whileWaiting?: number; placeVars?: Record<string, string>; noneOnline?: string; session?: number } = {},
): TextPayload {
  return { msgtype: 'text', text: { content }, ...opts };
}

/** Where the follower stands as the message is sent, and whether any agent is known to be online. */
export interface PlaceNow {
  position: number;
  count: number;
  noAgentOnline?: boolean;
}

/** The text to send: a place-in-line template gets the place the follower holds now. */
export function textToSend(payload: TextPayload, place: PlaceNow | undefined): string {
  if (!payload.placeVars || !place) return payload.text.content;
  const template = place.noAgentOnline && payload.noneOnline !== undefined ? payload.noneOnline : payload.text.content;
  return renderTemplate(template, { ...payload.placeVars, position: place.position, count: place.count });
}
