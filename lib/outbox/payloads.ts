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
}

export function textPayload(
  content: string,
  opts: { kfAccount?: string; whileWaiting?: number; placeVars?: Record<string, string> } = {},
): TextPayload {
  return { msgtype: 'text', text: { content }, ...opts };
}

/** The text to send: a place-in-line template gets the place the follower holds now. */
export function textToSend(payload: TextPayload, place: { position: number; count: number } | undefined): string {
  if (!payload.placeVars || !place) return payload.text.content;
  return renderTemplate(payload.text.content, { ...payload.placeVars, position: place.position, count: place.count });
}
