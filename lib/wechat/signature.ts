import { hash, timingSafeEqual } from 'node:crypto';

// Both signatures are SHA1 over the inputs sorted as plain strings and joined with no separator
// (PROTOCOL.md §1, §4.2). All inputs are ASCII, so code-unit order equals byte order. One-shot
// crypto.hash: every push is hashed three times, and it is a third of createHash's cost.
function sortedSha1(parts: string[]): string {
  return hash('sha1', [...parts].sort().join(''), 'hex');
}

/** `signature` on every push and on the GET URL check: SHA1(sort(token, timestamp, nonce)). */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  return sortedSha1([token, timestamp, nonce]);
}

/** Safe-mode `msg_signature`: SHA1(sort(token, timestamp, nonce, Encrypt)). */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sortedSha1([token, timestamp, nonce, encrypt]);
}

/** Constant-time string comparison; hashing first hides the length of the expected value too. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}

export interface PlainSignatureParams {
  signature: string;
  timestamp: string;
  nonce: string;
}

export function verifyPlainSignature(token: string, params: PlainSignatureParams): boolean {
  return safeEqual(plainSignature(token, params.timestamp, params.nonce), params.signature);
}

export interface MsgSignatureParams {
  msgSignature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
}

/** In safe mode verify this one, not `signature` (the doc: "不要使用signature验证"). */
export function verifyMsgSignature(token: string, params: MsgSignatureParams): boolean {
  return safeEqual(msgSignature(token, params.timestamp, params.nonce, params.encrypt), params.msgSignature);
}
