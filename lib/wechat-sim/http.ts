// The fake api.weixin.qq.com: one node:http listener that routes WeChat API paths, applies injected
// faults, checks access_token, parses bodies and records every call. Errors leave as WeChat sends
// them: HTTP 200 with {"errcode","errmsg":"… rid: …"}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimClock } from './clock';
import { SimApiError, errorBody } from './errors';
import type { ActiveFault, FaultStore } from './faults';
import { appendBounded, type SimState } from './state';
import type { TimerSet } from './timers';

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON for POSTs to JSON routes, otherwise undefined. */
  body: unknown;
  rawBody: Buffer;
  contentType: string;
  /** Caller address without the IPv4-mapped ::ffff: prefix. */
  remoteIp: string;
}

export interface Route {
  path: string;
  /** GET on a POST-only endpoint answers 43002, as WeChat does. */
  requirePost: boolean;
  /** Business endpoints need ?access_token=; the token endpoints themselves do not. */
  auth: boolean;
  /** 'json': a POST body must be JSON (44002 when empty, 47001 when malformed). 'raw': the route reads it. */
  body: 'json' | 'raw';
  handle(req: ApiRequest): unknown;
}

export interface ControlResponse {
  status: number;
  json: unknown;
}

export interface ApiListenerDeps {
  state: SimState;
  clock: SimClock;
  routes: Route[];
  faults: FaultStore;
  timers: TimerSet;
  /** Throws SimApiError 41001/40001/42001 for a missing, unknown or expired token. */
  authenticate(accessToken: string | undefined): void;
  /** Everything under /__sim/ goes here: not recorded, not faulted, no access_token. */
  control(req: ApiRequest): Promise<ControlResponse>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const JSON_TYPE = 'application/json; encoding=utf-8';

export function createApiListener(deps: ApiListenerDeps) {
  const routes = new Map(deps.routes.map((r) => [r.path, r]));
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(deps, routes, req, res).catch((error: unknown) => {
      // Only a bug in the fake lands here; answer like WeChat's "system busy" so the client sees it.
      if (!res.headersSent) send(res, 500, { errcode: -1, errmsg: `system error: ${String(error)}` });
    });
  };
}

async function handle(deps: ApiListenerDeps, routes: Map<string, Route>, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const rawBody = await readBody(req);
  if (rawBody === undefined) {
    res.writeHead(413).end();
    return;
  }
  const request: ApiRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: undefined,
    rawBody,
    contentType: req.headers['content-type'] ?? '',
    remoteIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
  };

  if (request.path.startsWith('/__sim/')) {
    const { status, json } = await deps.control(request);
    return send(res, status, json);
  }

  const record = (httpStatus: number, response: unknown) =>
    appendBounded(deps.state.calls, {
      method: request.method,
      path: request.path,
      query: request.query,
      body: describeBody(rawBody),
      at: deps.clock.now(),
      httpStatus,
      response,
    });

  const fault = deps.faults.take(request.path);
  if (fault?.delayMs) await deps.timers.sleep(fault.delayMs);
  if (fault && applyFault(fault, res, record)) return;

  const route = routes.get(request.path);
  if (!route) {
    record(404, 'not found');
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const json = runRoute(deps, route, request);
  if (fault?.dropAfterActing) {
    record(0, 'dropped after acting');
    res.socket?.destroy();
    return;
  }
  if (fault?.cutShortAfterActing) {
    const whole = jsonText(json);
    const cut = whole.slice(0, Math.ceil(whole.length / 2));
    record(200, cut);
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(cut) }).end(cut);
    return;
  }
  record(200, json);
  send(res, 200, json);
}

/** True when the fault answered (or dropped) the call; a delay-only fault lets the endpoint run. */
function applyFault(
  fault: ActiveFault,
  res: ServerResponse,
  record: (httpStatus: number, response: unknown) => void,
): boolean {
  if (fault.drop) {
    record(0, 'dropped');
    res.socket?.destroy();
    return true;
  }
  const errorJson = fault.errcode === undefined ? undefined : errorBody(new SimApiError(fault.errcode));
  if (fault.httpStatus !== undefined) {
    record(fault.httpStatus, errorJson ?? '');
    if (errorJson) send(res, fault.httpStatus, errorJson);
    else res.writeHead(fault.httpStatus).end();
    return true;
  }
  if (errorJson) {
    record(200, errorJson);
    send(res, 200, errorJson);
    return true;
  }
  return false;
}

function runRoute(deps: ApiListenerDeps, route: Route, request: ApiRequest): unknown {
  try {
    if (route.auth) deps.authenticate(request.query.access_token);
    if (route.requirePost && request.method !== 'POST') throw new SimApiError(43002);
    if (route.body === 'json' && request.method === 'POST') request.body = parseJsonBody(request.rawBody);
    return route.handle(request);
  } catch (error) {
    if (error instanceof SimApiError) return errorBody(error);
    throw error;
  }
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new SimApiError(44002);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SimApiError(47001);
  }
}

function describeBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// MsgIds are bigints (they pass 2^53); JSON carries them as strings.
function jsonText(json: unknown): string {
  return JSON.stringify(json, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function send(res: ServerResponse, status: number, json: unknown): void {
  const text = jsonText(json);
  // With its length, as WeChat answers; without it Node would send the JSON chunked.
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) }).end(text);
}
