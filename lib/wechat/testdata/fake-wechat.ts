import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny stand-in for api.weixin.qq.com: records each request's shape and answers from a route table.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  /** Parsed when the body is JSON. */
  json: unknown;
  body: Buffer;
}

export interface FakeReply {
  status?: number;
  json?: unknown;
  text?: string;
  delayMs?: number;
}

export type FakeRoute = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeWechat {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests other than token fetches. */
  apiCalls(): RecordedRequest[];
  tokensIssued(): number;
  close(): Promise<void>;
}

const TOKEN_PATHS = new Set(['/cgi-bin/token', '/cgi-bin/stable_token']);

/** Routes are keyed "METHOD /path". Token endpoints answer TOKEN1, TOKEN2, … unless overridden. */
export async function startFakeWechat(routes: Record<string, FakeRoute> = {}): Promise<FakeWechat> {
  const requests: RecordedRequest[] = [];
  let issued = 0;
  const issueToken: FakeRoute = () => ({ json: { access_token: `TOKEN${++issued}`, expires_in: 7200 } });
  const table: Record<string, FakeRoute> = {
    'GET /cgi-bin/token': issueToken,
    'POST /cgi-bin/stable_token': issueToken,
    ...routes,
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'];
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
      json: contentType?.startsWith('application/json') && body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined,
      body,
    };
    requests.push(recorded);
    const route = table[`${recorded.method} ${recorded.path}`];
    const reply = route ? await route(recorded) : { status: 404, text: 'not found' };
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.statusCode = reply.status ?? 200;
    res.setHeader('content-type', reply.json === undefined ? 'text/plain' : 'application/json; charset=utf-8');
    res.end(reply.json === undefined ? (reply.text ?? '') : JSON.stringify(reply.json));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    apiCalls: () => requests.filter((r) => !TOKEN_PATHS.has(r.path)),
    tokensIssued: () => issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
