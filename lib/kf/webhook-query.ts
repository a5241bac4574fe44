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
  /** Where refusals that point at the configuration are said (refusalWarner). */
  warn: RefusalWarner;
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

/**
 * What a refused push says in the log when the likeliest cause is wekf's configuration rather than
 * an attacker: without it, an account whose token or key changed in WeChat's console only shows
 * followers getting no answer. Once a minute each (refusals repeat with every push, and a prober
 * must not flood the log); never the body or the query's values.
 */
export const REFUSAL_WARNINGS = {
  plainPush: 'an unencrypted push arrived but an EncodingAESKey is configured: switch the account to safe mode in WeChat, or unset the key',
  badSignature: "a push's signature does not match WECHAT_TOKEN: check that the token in WeChat's console is the same (or someone is probing the webhook)",
  staleTimestamp: "a push's timestamp is too far from this server's clock (WECHAT_MAX_SKEW_SECONDS): check the clock",
  noAesKey: 'an encrypted push arrived but no EncodingAESKey is configured: set WECHAT_ENCODING_AES_KEY, or switch the account to plain mode in WeChat',
  unopenable: "an encrypted push could not be opened: check that WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID are the account's (the key may have been reset in WeChat's console)",
} as const;

export type RefusalWarner = (warning: keyof typeof REFUSAL_WARNINGS, fields?: Record<string, unknown>) => void;

/** Whether a log line keyed `key` may be written now (by `wallClock`): at most once a minute for each key. */
export function oncePerMinute(wallClock: () => number = Date.now): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const now = wallClock();
    if (now - (last.get(key) ?? -Infinity) < 60_000) return false;
    last.set(key, now);
    return true;
  };
}

/** A warner that says each warning at most once a minute (by `wallClock`). */
export function refusalWarner(log: Pick<Logger, 'warn'>, wallClock: () => number = Date.now): RefusalWarner {
  const due = oncePerMinute(wallClock);
  return (warning, fields) => {
    if (due(warning)) log.warn(fields ?? {}, REFUSAL_WARNINGS[warning]);
  };
}

/**
 * Signature, freshness and mode, from the query alone. WeChat's plain signature covers only the
 * token, timestamp and nonce, never the body, so a captured URL would be good for ever without the
 * freshness window. With an EncodingAESKey, WeChat encrypts and signs every push (compatible and
 * safe mode), so a push without encryption did not come from the account as configured.
 */
export function queryChecker(options: QueryCheckOptions): (method: string, q: URLSearchParams) => Answer | undefined {
  const maxSkewMs = (options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  const wallClock = options.wallClock ?? Date.now;
  return (method, q) => {
    if (method !== 'GET' && method !== 'POST') {
      const refused = plainText(405, 'method not allowed');
      return { ...refused, headers: { ...refused.headers, allow: 'GET, POST' } };
    }
    const signed = { signature: q.get('signature') ?? '', timestamp: q.get('timestamp') ?? '', nonce: q.get('nonce') ?? '' };
    if (!signed.signature || !signed.timestamp || !signed.nonce) return plainText(400, 'missing parameters');
    if (method === 'GET' && q.get('echostr') === null) return plainText(400, 'missing parameters');
    if (!TIMESTAMP.test(signed.timestamp)) return plainText(400, 'bad timestamp');
    if (!verifyPlainSignature(options.token, signed)) {
      options.warn('badSignature');
      return plainText(403, 'bad signature');
    }
    const skewSeconds = Math.round((wallClock() - Number(signed.timestamp) * 1000) / 1000);
    if (Math.abs(skewSeconds) * 1000 > maxSkewMs) {
      options.warn('staleTimestamp', { skewSeconds });
      return plainText(403, 'stale timestamp');
    }
    if (method === 'POST' && options.crypto && q.get('encrypt_type') !== 'aes') {
      options.warn('plainPush');
      return plainText(400, 'encrypted push required');
    }
    return undefined;
  };
}


/**
 * The push's signed query and a hash of what it carried (its exact body, or an encrypted push's
 * message), for the replay store (db/queries/replay-store.ts). Call after checkQuery has passed: the
 * three parameters are present.
 */
export function pushQueryOf(q: URLSearchParams, body: Buffer): PushQuery {
  return {
    timestamp: q.get('timestamp')!,
    nonce: q.get('nonce')!,
    signature: q.get('signature')!,
    bodyHash: hash('sha256', body, 'base64url'),
  };
}
