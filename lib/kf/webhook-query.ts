// The webhook's checks that need only the query string: method, signature, freshness and whether
// the push must be encrypted. lib/server/webhook-http.ts runs them before it reads a body, and the
// webhook runs them again for callers that hand it a whole request.
import 'server-only';
import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import type { PushQuery } from '@/db/queries/replay-store';
import type { WechatCrypto } from '@/lib/wechat/crypto';
import { verifyPlainSignature } from '@/lib/wechat/signature';

export const DEFAULT_MAX_SKEW_SECONDS = 300;

export interface QueryCheckOptions {
  token: string;
  crypto?: WechatCrypto;
  maxSkewSeconds?: number;
  wallClock?: () => number;
  log: Pick<Logger, 'warn'>;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const plainText = (status: number, body: string): Answer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

const TIMESTAMP = /^[0-9]{1,12}$/;
const PLAIN_PUSH_WARNING =
  'an unencrypted push arrived but an EncodingAESKey is configured: switch the account to safe mode in WeChat, or unset the key';

/**
 * Signature, freshness and mode, from the query alone. WeChat's plain signature covers only the
 * token, timestamp and nonce, never the body, so a captured URL would be good for ever without the
 * freshness window. With an EncodingAESKey, WeChat encrypts and signs every push (compatible and
 * safe mode), so a push without encryption did not come from the account as configured.
 */
export function queryChecker(options: QueryCheckOptions): (method: string, q: URLSearchParams) => Answer | undefined {
  const maxSkewMs = (options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  const wallClock = options.wallClock ?? Date.now;
  let lastPlainWarning = 0;
  return (method, q) => {
    if (method !== 'GET' && method !== 'POST') {
      const refused = plainText(405, 'method not allowed');
      return { ...refused, headers: { ...refused.headers, allow: 'GET, POST' } };
    }
    const signed = { signature: q.get('signature') ?? '', timestamp: q.get('timestamp') ?? '', nonce: q.get('nonce') ?? '' };
    if (!signed.signature || !signed.timestamp || !signed.nonce) return plainText(400, 'missing parameters');
    if (method === 'GET' && q.get('echostr') === null) return plainText(400, 'missing parameters');
    if (!TIMESTAMP.test(signed.timestamp)) return plainText(400, 'bad timestamp');
    if (!verifyPlainSignature(options.token, signed)) return plainText(403, 'bad signature');
    if (Math.abs(wallClock() - Number(signed.timestamp) * 1000) > maxSkewMs) return plainText(403, 'stale timestamp');
    if (method === 'POST' && options.crypto && q.get('encrypt_type') !== 'aes') {
      // Once a minute at most: every push would say the same until the account or the key changes.
      if (wallClock() - lastPlainWarning > 60_000) {
        lastPlainWarning = wallClock();
        options.log.warn(PLAIN_PUSH_WARNING);
      }
      return plainText(400, 'encrypted push required');
    }
    return undefined;
  };
}


/**
 * The push's signed query and a hash of its exact body, for the replay store
 * (db/queries/replay-store.ts). Call after checkQuery has passed: the three parameters are present.
 */
export function pushQueryOf(q: URLSearchParams, body: Buffer): PushQuery {
  return {
    timestamp: q.get('timestamp')!,
    nonce: q.get('nonce')!,
    signature: q.get('signature')!,
    bodyHash: hash('sha256', body, 'base64url'),
  };
}
