// What the flow queues for WeChat's custom/send API, and how much each is worth when a follower's
// send budget is short (lower = more valuable; see lib/outbox/dispatcher.ts).
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
}

export function textPayload(content: string, opts: { kfAccount?: string; whileWaiting?: number } = {}): TextPayload {
  return { msgtype: 'text', text: { content }, ...opts };
}
