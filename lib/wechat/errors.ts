import { describeErrcode, type ErrcodeMeaning } from './errcodes';

export { describeErrcode, WECHAT_ERRCODES, WECHAT_ERRMSG, type ErrcodeMeaning } from './errcodes';

export type WechatProtocolErrorCode =
  | 'bad_xml'
  | 'doctype'
  | 'missing_field'
  | 'invalid_field'
  | 'bad_aes_key'
  | 'bad_signature'
  | 'decrypt_failed'
  | 'appid_mismatch'
  | 'too_large'
  | 'bad_response';

/** Input from (or output of) WeChat that does not follow the protocol. Safe to log; holds no secrets. */
export class WechatProtocolError extends Error {
  override readonly name = 'WechatProtocolError';
  readonly code: WechatProtocolErrorCode;
  /** The offending element or field, when there is one. */
  readonly field: string | undefined;

  constructor(code: WechatProtocolErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options?.field;
  }
}

// Real errmsg values end with a per-request trace: " rid: 658cff8e-7783352d-44cb33e5" (new) or
// " hint: [jotvMa01143580]" (old). They differ on every call, so they are cut before storing/comparing.
const TRACE_SUFFIX = /[\s,;]*(?:rid:\s*[\w-]+|hint:\s*\[[^\]]*\])\s*$/;

export function stripErrmsgTrace(errmsg: string): string {
  let out = errmsg;
  while (TRACE_SUFFIX.test(out)) out = out.replace(TRACE_SUFFIX, '');
  return out.trim();
}

/** A WeChat API call answered with a non-zero errcode. Decide on `errcode`, never on `errmsg`. */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError';
  readonly errcode: number;
  readonly errmsg: string;
  readonly meaning: ErrcodeMeaning;
  /** API path without the query string (the query carries the access token). */
  readonly path: string | undefined;

  constructor(errcode: number, errmsg: string, path?: string) {
    const clean = stripErrmsgTrace(errmsg);
    super(`WeChat API error ${errcode}${path ? ` on ${path}` : ''}: ${clean}`);
    this.errcode = errcode;
    this.errmsg = clean;
    this.meaning = describeErrcode(errcode) ?? { zh: '未知错误', en: 'Unknown error' };
    this.path = path;
  }
}

/** timeout, network (refused, dropped), http_status (not 2xx), unreadable (a 2xx whose JSON broke off). */
export type WechatNetworkErrorCode = 'timeout' | 'network' | 'http_status' | 'unreadable';

/** The HTTP exchange itself failed. Messages name the path only, never the URL (it holds the token). */
export class WechatNetworkError extends Error {
  override readonly name = 'WechatNetworkError';
  readonly code: WechatNetworkErrorCode;
  readonly path: string;
  readonly status: number | undefined;
  /**
   * The request had reached WeChat whole when the exchange failed (a timeout waiting for the answer,
   * a connection dropped before it): WeChat may have acted on it. A call that is not safe to repeat,
   * such as sending a message, must not be sent again blindly.
   */
  readonly maybeDelivered: boolean;

  constructor(
    code: WechatNetworkErrorCode,
    path: string,
    message: string,
    options?: { status?: number; cause?: unknown; maybeDelivered?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = path;
    this.status = options?.status;
    this.maybeDelivered = options?.maybeDelivered ?? false;
  }
}
