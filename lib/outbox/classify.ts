// What to do when a send fails, decided by errcode (never by message text). DESIGN.md "Outbound".
import 'server-only';
import { TOKEN_PATHS } from '@/lib/wechat/client';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';
import { FAILURE_REASONS } from './skip-reasons';

export type FailureAction =
  | { action: 'retry'; errcode: number | null; reason: string }
  | { action: 'final'; errcode: number | null; reason: string };

// Busy or rate-limited: try again later.
const RETRY_ERRCODES = new Set([-1, 45011]);
// A token rejected even after the client's own refresh-and-retry: try again later with a new one.
const TOKEN_ERRCODES = new Set([40001, 42001, 40014]);

export function classifySendFailure(error: unknown): FailureAction {
  // No access token to send with (the token call slow, dropped, refused for quota or an address not
  // on the account's IP whitelist): the message itself never left, so it waits for a later round,
  // whatever the token call's own failure would mean for a send.
  if (isTokenFailure(error)) {
    return { action: 'retry', errcode: error instanceof WechatApiError ? error.errcode : null, reason: `no access token: ${error.message}` };
  }
  // WeChat took the whole message and did not answer in time, dropped the connection after it had
  // it, or began its JSON answer and broke off: it may well have delivered it (seen with a slow answer: the follower got each retry), and
  // a message sent twice reads as spam and spends the follower's sends. Not sent again; the console
  // says so. A connection refused, or dropped where it was a reused keep-alive one (mostly one WeChat
  // had closed while idle: the client says maybeDelivered only of the others), is retried.
  if (error instanceof WechatNetworkError && error.maybeDelivered) {
    const reason = error.code === 'timeout' ? FAILURE_REASONS.unconfirmed : error.code === 'unreadable' ? FAILURE_REASONS.unreadable : FAILURE_REASONS.dropped;
    return { action: 'final', errcode: null, reason };
  }
  if (error instanceof WechatNetworkError) return { action: 'retry', errcode: null, reason: `network: ${error.code}` };
  if (error instanceof WechatApiError) {
    const reason = `${error.errcode} ${error.meaning.en}`;
    if (RETRY_ERRCODES.has(error.errcode) || TOKEN_ERRCODES.has(error.errcode)) {
      return { action: 'retry', errcode: error.errcode, reason };
    }
    // 45015 out of window, 45047 budget spent, 43004 unsubscribed, 40003 bad openid, 48002 blocked,
    // and anything unknown: retrying cannot help.
    return { action: 'final', errcode: error.errcode, reason };
  }
  return { action: 'retry', errcode: null, reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown error' };
}

function isTokenFailure(error: unknown): error is WechatNetworkError | WechatApiError {
  return (error instanceof WechatNetworkError || error instanceof WechatApiError) && error.path !== undefined && TOKEN_PATHS.includes(error.path);
}

/** 2 s, 4 s, 8 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

export const MAX_ATTEMPTS = 8;
