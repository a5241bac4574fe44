// How long a reply text may be once rendered, by how WeChat carries it (wechat/PROTOCOL.md):
// a passive reply (the answer to the follower's own push) is cut at about 2,048 bytes, so bytes are
// counted (a Chinese character is 3, an emoji 4); a customer-service message sent through the API
// (queue position, wait ran out, alerts, greeting, switch, closing) is limited to about 2,048 characters.
import type { TemplateName } from './templates';

export const PASSIVE_TEXT_MAX_BYTES = 2048;
export const CUSTOM_TEXT_MAX_CHARS = 2048;

/** Texts sent through the outbox; every other text, including ones added later, is a passive reply. */
const SENT_THROUGH_API = new Set<string>(['queue', 'queueNoneOnline', 'waitExpired', 'agentAlert', 'greeting', 'switched', 'closing']);

export function textLimitOf(name: TemplateName | string): { unit: 'bytes' | 'chars'; max: number } {
  return SENT_THROUGH_API.has(name) ? { unit: 'chars', max: CUSTOM_TEXT_MAX_CHARS } : { unit: 'bytes', max: PASSIVE_TEXT_MAX_BYTES };
}

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
