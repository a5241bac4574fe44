// One HTTP request and its whole answer, on node:http(s) with keep-alive connections. The client sends
// every JSON call this way: under load (an outbox sending hundreds of messages a second) it costs a
// fraction of the CPU of fetch. Multipart uploads (FormData) still go through fetch.
import http from 'node:http';
import https from 'node:https';

export interface Exchange {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange, including reading the answer. */
  timeoutMs: number;
}

export interface Answer {
  status: number;
  text: string;
}

/**
 * The exchange failed. `requestSent`: the request had been written whole before it did, so the
 * server may have acted on it (a message sent) though no answer came back. `reusedConnection`: it
 * went over a keep-alive connection an earlier exchange had used, which the server may have closed
 * while it sat idle (Node's http docs: such a failure is worth a retry).
 */
export class ExchangeFailed extends Error {
  constructor(
    message: string,
    readonly requestSent: boolean,
    options?: { cause?: unknown; reusedConnection?: boolean },
  ) {
    super(message, options);
    this.reusedConnection = options?.reusedConnection ?? false;
  }

  readonly reusedConnection: boolean;
}

/** The exchange took longer than its timeout; the connection was dropped. */
export class ExchangeTimeout extends ExchangeFailed {}

export type ExchangeFn = (exchange: Exchange) => Promise<Answer>;

export function createHttpExchange(opts: { maxSockets?: number } = {}): ExchangeFn {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  return (x) =>
    new Promise<Answer>((resolve, reject) => {
      const secure = x.url.protocol === 'https:';
      const headers = { ...x.headers, ...(x.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(x.body)) }) };
      const request = (secure ? https : http).request(x.url, { method: x.method, headers, agent: secure ? agents.https : agents.http });
      // 'finish': the whole request is handed to the socket, so from then on the server may act on it.
      let sent = false;
      request.on('finish', () => (sent = true));
      const timer = setTimeout(() => request.destroy(new ExchangeTimeout(`no answer within ${x.timeoutMs} ms`, sent, { reusedConnection: request.reusedSocket })), x.timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error instanceof ExchangeFailed ? error : new ExchangeFailed(error.message, sent, { cause: error, reusedConnection: request.reusedSocket }));
      };
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete) fail(new Error('the connection closed before the whole answer arrived'));
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end(x.body);
    });
}

/** The same exchange through a fetch function (FormData bodies, and tests that pass their own fetch). */
export async function fetchExchange(fetchFn: typeof fetch, x: Omit<Exchange, 'body'> & { body?: string | FormData }): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), x.timeoutMs);
  try {
    const res = await fetchFn(x.url, { method: x.method, headers: x.headers, body: x.body, signal: controller.signal });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    // fetch does not say how far the request got: a timeout may have reached the server, a refusal not.
    if (controller.signal.aborted) throw new ExchangeTimeout(`no answer within ${x.timeoutMs} ms`, true);
    throw new ExchangeFailed(error instanceof Error ? error.message : String(error), false, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
