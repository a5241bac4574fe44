import { WechatApiError, WechatNetworkError, WechatProtocolError } from './errors';
import { createHttpExchange, ExchangeFailed, ExchangeTimeout, fetchExchange, type ExchangeFn } from './http-exchange';
import { MemoryTokenStore, type FetchedToken, type TokenStore } from './token-store';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  /** Defaults to https://api.weixin.qq.com; the simulator and tests point it elsewhere. */
  baseUrl?: string;
  tokenStore?: TokenStore;
  /** Per call, including reading the body. Default 5000. */
  timeoutMs?: number;
  /** `stable` (default) uses /cgi-bin/stable_token, which does not invalidate tokens held elsewhere. */
  tokenMode?: 'stable' | 'classic';
  /** Every call goes through this fetch when given (tests); otherwise node:http, and fetch only for uploads. */
  fetch?: typeof fetch;
  /** Refresh a token this long before it expires. Default 5 minutes (WeChat's old/new overlap). */
  refreshAheadMs?: number;
}

export type Query = Record<string, string | number | undefined>;

export interface CallOptions {
  timeoutMs?: number;
}

export interface MultipartFile {
  /** Form field name; WeChat's upload APIs use `media`. */
  field?: string;
  filename: string;
  contentType?: string;
  data: Uint8Array;
}

/** Where access tokens come from: a failure there means the call it was for was never made. */
export const TOKEN_PATHS: readonly string[] = ['/cgi-bin/stable_token', '/cgi-bin/token'];

// A rejected token: expire exactly that one and retry once with a fresh one (PROTOCOL.md §5.3).
const TOKEN_ERRCODES = new Set([40001, 42001, 40014]);

interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: () => { payload: string | FormData; contentType?: string };
}

export class WechatClient {
  readonly appId: string;
  readonly #secret: string;
  readonly #baseUrl: string;
  readonly #store: TokenStore;
  readonly #timeoutMs: number;
  readonly #tokenMode: 'stable' | 'classic';
  readonly #fetch: typeof fetch | undefined;
  readonly #exchange: ExchangeFn;
  readonly #refreshAheadMs: number;

  constructor(opts: WechatClientOptions) {
    this.appId = opts.appId;
    this.#secret = opts.appSecret;
    // Validated now so a typo fails at startup; kept as text so a path prefix (a mounted simulator) survives.
    this.#baseUrl = new URL(opts.baseUrl ?? DEFAULT_BASE_URL).href.replace(/\/+$/, '');
    this.#store = opts.tokenStore ?? new MemoryTokenStore();
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#tokenMode = opts.tokenMode ?? 'stable';
    this.#fetch = opts.fetch;
    this.#exchange = createHttpExchange();
    this.#refreshAheadMs = opts.refreshAheadMs ?? 5 * 60 * 1000;
  }

  getAccessToken(): Promise<string> {
    return this.#store.getToken(this.appId, () => this.#fetchToken(), this.#refreshAheadMs);
  }

  get<T = unknown>(path: string, query?: Query, opts?: CallOptions): Promise<T> {
    return this.#call<T>({ method: 'GET', path, query }, opts);
  }

  post<T = unknown>(path: string, body?: unknown, query?: Query, opts?: CallOptions): Promise<T> {
    const payload = JSON.stringify(body ?? {});
    return this.#call<T>(
      { method: 'POST', path, query, body: () => ({ payload, contentType: 'application/json; charset=utf-8' }) },
      opts,
    );
  }

  postMultipart<T = unknown>(path: string, file: MultipartFile, query?: Query, opts?: CallOptions): Promise<T> {
    const body = () => {
      const form = new FormData();
      const blob = new Blob([new Uint8Array(file.data)], { type: file.contentType ?? 'application/octet-stream' });
      form.append(file.field ?? 'media', blob, file.filename);
      return { payload: form };
    };
    return this.#call<T>({ method: 'POST', path, query, body }, opts);
  }

  async #call<T>(request: HttpRequest, opts?: CallOptions): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.getAccessToken();
      const json = await this.#send({ ...request, query: { ...request.query, access_token: token } }, opts);
      const errcode = errcodeOf(json);
      if (errcode === undefined) return json as T;
      if (attempt === 0 && TOKEN_ERRCODES.has(errcode)) {
        await this.#store.invalidate(this.appId, token);
        continue;
      }
      throw new WechatApiError(errcode, errmsgOf(json), request.path);
    }
  }

  async #fetchToken(): Promise<FetchedToken> {
    const json =
      this.#tokenMode === 'stable'
        ? await this.#send({
            method: 'POST',
            path: '/cgi-bin/stable_token',
            body: () => ({
              payload: JSON.stringify({
                grant_type: 'client_credential',
                appid: this.appId,
                secret: this.#secret,
                force_refresh: false,
              }),
              contentType: 'application/json; charset=utf-8',
            }),
          })
        : await this.#send({
            method: 'GET',
            path: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: this.appId, secret: this.#secret },
          });
    const errcode = errcodeOf(json);
    if (errcode !== undefined) throw new WechatApiError(errcode, errmsgOf(json), this.#tokenPath());
    const { access_token: accessToken, expires_in: expiresIn } = json as Record<string, unknown>;
    if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new WechatProtocolError('bad_response', `${this.#tokenPath()} returned no access_token/expires_in`);
    }
    return { accessToken, expiresIn };
  }

  #tokenPath(): string {
    return this.#tokenMode === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token';
  }

  // One HTTP exchange. Errors name the path only: the full URL carries the token or the secret.
  async #send(request: HttpRequest, opts?: CallOptions): Promise<unknown> {
    const url = new URL(`${this.#baseUrl}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const body = request.body?.();
    const timeoutMs = opts?.timeoutMs ?? this.#timeoutMs;
    const exchange = {
      url,
      method: request.method,
      headers: body?.contentType ? { 'content-type': body.contentType } : undefined,
      timeoutMs,
    };
    try {
      const payload = body?.payload;
      const answer =
        this.#fetch || payload instanceof FormData
          ? await fetchExchange(this.#fetch ?? globalThis.fetch, { ...exchange, body: payload })
          : await this.#exchange({ ...exchange, body: payload });
      if (answer.status < 200 || answer.status > 299) {
        throw new WechatNetworkError('http_status', request.path, `HTTP ${answer.status} from ${request.path}`, {
          status: answer.status,
        });
      }
      return parseJson(answer.text, request.path);
    } catch (cause) {
      if (cause instanceof WechatNetworkError || cause instanceof WechatProtocolError) throw cause;
      const sentWhole = cause instanceof ExchangeFailed && cause.requestSent;
      if (cause instanceof ExchangeTimeout) {
        throw new WechatNetworkError('timeout', request.path, `${request.path} timed out after ${timeoutMs} ms`, { maybeDelivered: sentWhole });
      }
      // Dropped after the whole request went out: on a fresh connection WeChat had it, and may have
      // acted on it; on a reused keep-alive connection it was most likely one WeChat had closed while
      // idle, which never read it.
      const maybeDelivered = sentWhole && !(cause as ExchangeFailed).reusedConnection;
      throw new WechatNetworkError('network', request.path, `Request to ${request.path} failed`, { cause, maybeDelivered });
    }
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json;
  } catch {
    // An answer that began as WeChat's JSON and broke off: WeChat's API wrote it, so it had the
    // request and may have acted on it (a message sent, a follower assigned). Another body (a proxy's
    // HTML page) says nothing reached the API. Neither is echoed: a body may carry anything.
    if (text.trimStart().startsWith('{')) {
      throw new WechatNetworkError('unreadable', path, `${path} answered with JSON cut short`, { maybeDelivered: true });
    }
  }
  throw new WechatProtocolError('bad_response', `${path} did not return a JSON object`);
}

// Decided by errcode only (never errmsg): absent or 0 means success.
function errcodeOf(json: unknown): number | undefined {
  const errcode = Number((json as { errcode?: unknown }).errcode ?? 0);
  return Number.isFinite(errcode) && errcode !== 0 ? errcode : undefined;
}

function errmsgOf(json: unknown): string {
  const errmsg = (json as { errmsg?: unknown }).errmsg;
  return typeof errmsg === 'string' ? errmsg : '';
}
