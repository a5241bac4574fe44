// WeChat's side of the webhook: signs and (in compat/safe mode) encrypts a push, POSTs it with
// WeChat's headers, waits at most the deadline, and re-sends the same body until an answer comes
// or the attempts run out. Also the GET URL check WeChat runs when the server URL is saved.
import { randomInt } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { WechatCrypto } from '../wechat/crypto';
import { plainSignature } from '../wechat/signature';
import { buildXml } from '../wechat/xml';
import { SimUsageError } from './errors';
import type { PushMode } from './state';
import type { TimerSet } from './timers';

/** Replies larger than this are not replies; WeChat would not read them either. */
const MAX_REPLY_BYTES = 1024 * 1024;

export interface PushTarget {
  url: string;
  mode: PushMode;
  token: string;
  openid: string;
  originalId: string;
  crypto: WechatCrypto | undefined;
}

export interface PushPayload {
  body: string;
  /** The <Encrypt> value in compat and safe mode; msg_signature is computed over it. */
  encrypt: string | undefined;
}

export interface AttemptRecord {
  /** What failed: no answer before the deadline, no connection, or a non-2xx status. */
  failure?: 'timeout' | 'network' | 'http_status';
  status?: number;
  query: Record<string, string>;
  elapsedMs: number;
}

export interface DeliveryResult {
  attempts: AttemptRecord[];
  /** The body of the first 2xx answer; undefined when every attempt failed. */
  replyBody: string | undefined;
}

export class WebhookClient {
  private readonly inFlight = new Set<http.ClientRequest>();
  private closed = false;

  constructor(private readonly timers: TimerSet) {}

  /** The exact bytes WeChat would POST for these plaintext fields in the target's mode. */
  buildPayload(target: PushTarget, fields: Record<string, unknown>): PushPayload {
    if (target.mode === 'plain') return { body: plainBody(fields), encrypt: undefined };
    const encrypt = requireCrypto(target).encrypt(buildXml(fields));
    if (target.mode === 'compat') return { body: plainBody({ ...fields, Encrypt: encrypt }), encrypt };
    // Real safe-mode bodies are pretty-printed with four-space indentation.
    const body = `<xml>\n    ${element('ToUserName', target.originalId)}\n    ${element('Encrypt', encrypt)}\n</xml>`;
    return { body, encrypt };
  }

  /** POSTs the payload up to `attempts` times: the same bytes, a fresh timestamp/nonce each time. */
  async deliver(target: PushTarget, payload: PushPayload, opts: { attempts: number; timeoutMs: number }): Promise<DeliveryResult> {
    const attempts: AttemptRecord[] = [];
    const { body } = payload;
    for (let i = 0; i < opts.attempts && !this.closed; i++) {
      const query = signedQuery(target, payload);
      const url = new URL(target.url);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const started = Date.now();
      const answer = await this.request(url, 'POST', body, opts.timeoutMs);
      const attempt: AttemptRecord = { query, elapsedMs: Date.now() - started };
      if (answer.failure) attempt.failure = answer.failure;
      if (answer.status !== undefined) attempt.status = answer.status;
      attempts.push(attempt);
      if (!answer.failure) return { attempts, replyBody: answer.body };
    }
    return { attempts, replyBody: undefined };
  }

  /** WeChat's server-URL check: GET with signature and echostr; passes when the body is echostr. */
  async verifyUrl(target: Pick<PushTarget, 'url' | 'token'>, timeoutMs: number): Promise<boolean> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(randomInt(1_000_000_000));
    const echostr = `${randomInt(1_000_000_000)}${randomInt(1_000_000_000)}`;
    const url = new URL(target.url);
    const params = { signature: plainSignature(target.token, timestamp, nonce), echostr, timestamp, nonce };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const answer = await this.request(url, 'GET', undefined, timeoutMs);
    return !answer.failure && answer.body === echostr;
  }

  /** Aborts whatever is in flight and refuses further attempts. */
  close(): void {
    this.closed = true;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  private request(
    url: URL,
    method: 'GET' | 'POST',
    body: string | undefined,
    timeoutMs: number,
  ): Promise<{ failure?: AttemptRecord['failure']; status?: number; body?: string }> {
    return new Promise((resolve) => {
      const transport = url.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = {
        'User-Agent': 'Mozilla/4.0',
        Accept: '*/*',
        'Cache-Control': 'no-cache',
        Pragma: 'no-cache',
      };
      if (body !== undefined) {
        headers['Content-Type'] = 'text/xml';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      let settled = false;
      const finish = (result: { failure?: AttemptRecord['failure']; status?: number; body?: string }) => {
        if (settled) return;
        settled = true;
        this.timers.cancel(deadline);
        this.inFlight.delete(req);
        resolve(result);
      };
      // agent: false — no keep-alive sockets linger after close(), so test processes exit.
      const req = transport.request(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          finish(ok ? { status, body: Buffer.concat(chunks).toString('utf8') } : { status, failure: 'http_status' });
        });
        res.on('error', () => finish({ failure: 'network' }));
      });
      const deadline = this.timers.after(timeoutMs, () => {
        finish({ failure: 'timeout' });
        req.destroy();
      });
      this.inFlight.add(req);
      req.on('error', () => finish({ failure: 'network' }));
      req.end(body);
    });
  }
}

/** One element as buildXml writes it (strings in CDATA), without the <xml> root around it. */
function element(name: string, value: unknown): string {
  return buildXml({ [name]: value }).slice('<xml>'.length, -'</xml>'.length);
}

function plainBody(fields: Record<string, unknown>): string {
  // Real plaintext pushes put a newline between elements; receivers must tolerate it.
  return `<xml>${Object.entries(fields).map(([name, value]) => element(name, value)).join('\n')}</xml>`;
}

// The query timestamp is real time, not the simulator clock: receivers compare it with their own
// clock to refuse replays, and a test that moves the fake clock must not make pushes look stale.
function signedQuery(target: PushTarget, payload: PushPayload): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(1_000_000_000, 2_000_000_000));
  const query: Record<string, string> = {
    signature: plainSignature(target.token, timestamp, nonce),
    timestamp,
    nonce,
    openid: target.openid,
  };
  if (payload.encrypt === undefined) return query;
  const msgSignature = requireCrypto(target).signature(timestamp, nonce, payload.encrypt);
  return { ...query, encrypt_type: 'aes', msg_signature: msgSignature };
}

function requireCrypto(target: PushTarget): WechatCrypto {
  if (!target.crypto) throw new SimUsageError('invalid_argument', `${target.mode} mode needs an EncodingAESKey`);
  return target.crypto;
}
