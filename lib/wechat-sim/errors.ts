// Typed errors of the fake. SimApiError is what the fake API answers (HTTP 200 + errcode, as WeChat
// does); SimUsageError is thrown to in-process callers (tests, the sandbox page) that ask the fake
// follower or agents to do something WeChat would not let them do.
import { randomBytes } from 'node:crypto';
import { WECHAT_ERRMSG } from '../wechat/errors';

export class SimApiError extends Error {
  constructor(
    readonly errcode: number,
    /** Replaces the table text when WeChat puts call details in the message (40164 names the IP). */
    readonly errmsgOverride?: string,
  ) {
    super(errmsgOverride ?? errmsgText(errcode));
    this.name = 'SimApiError';
  }
}

export type SimUsageCode =
  | 'unknown_agent'
  | 'agent_not_bound'
  | 'agent_offline'
  | 'no_invite'
  | 'no_waiting_follower'
  | 'routed_to_other_agent'
  | 'served_by_other_agent'
  | 'no_session'
  | 'not_subscribed'
  | 'invalid_argument';

export class SimUsageError extends Error {
  constructor(
    readonly code: SimUsageCode,
    message: string,
  ) {
    super(message);
    this.name = 'SimUsageError';
  }
}

// Codes the fake answers whose wire text PROTOCOL.md does not quote (so lib/wechat leaves them out).
// Clients decide on errcode only; these texts just keep the response shape complete.
const UNQUOTED_ERRMSG: Readonly<Record<number, string>> = {
  40008: 'invalid message type',
  40032: 'invalid openid list size',
  // As WeChat's developer forum quotes it (user/info/updateremark with 30 bytes or more).
  40092: 'invalid remark name',
  40053: 'invalid action info',
  41005: 'media data missing',
  44003: 'empty news data',
  44004: 'empty content',
  45072: 'command invalid',
  45080: 'no message exchange with the user in the last 30 seconds',
  45081: 'already typing',
};

function errmsgText(errcode: number): string {
  return WECHAT_ERRMSG[errcode] ?? UNQUOTED_ERRMSG[errcode] ?? 'system error';
}

/** WeChat's trace suffix: three groups of 8 hex digits. Clients must never parse it. */
export function requestId(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}

export function errorBody(error: SimApiError): { errcode: number; errmsg: string } {
  return { errcode: error.errcode, errmsg: `${error.message} rid: ${requestId()}` };
}
