// The process's HTTP listener with its connection limits: how long a client may take to send a
// request, and how many connections one process holds at once. Shared by server.ts and the tests.
import 'server-only';
import http from 'node:http';
import { log } from '@/lib/log';

export interface ConnectionLimits {
  /**
   * A request's headers and body must both have arrived within this (HTTP_REQUEST_TIMEOUT_SECONDS);
   * else Node answers 408 and closes. It bounds receiving the request only: a response may stream for
   * as long as it likes (server-sent events), which Node measures separately and we leave unlimited.
   */
  requestTimeoutMs: number;
  /** Connections past this are closed as they arrive (HTTP_MAX_CONNECTIONS); idle keep-alive ones count. */
  maxConnections: number;
}

/** Idle keep-alive connections stay open this long: longer than a load balancer's 60 s, so it never reuses one we closed. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How often Node looks for requests past their timeout; its default (30 s) would let a 10 s limit run to 40 s. */
const TIMEOUT_CHECK_MS = 1_000;
/** At most one log line per this long about refused connections, with how many there were. */
const DROP_LOG_EVERY_MS = 60_000;

const serverLog = log.child({ module: 'server' });

export function createHttpServer(listener: http.RequestListener, limits: ConnectionLimits): http.Server {
  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      // Headers are part of the request: a client trickling them gets no longer than one sending a body.
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, limits.requestTimeoutMs),
    },
    listener,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = limits.maxConnections;
  logDroppedConnections(server, limits.maxConnections);
  return server;
}

/** Node closes a connection past maxConnections silently; the operator should hear of it, once a minute at most. */
function logDroppedConnections(server: http.Server, max: number): void {
  let dropped = 0;
  let lastLog = 0;
  server.on('drop', () => {
    dropped++;
    const now = Date.now();
    if (now - lastLog < DROP_LOG_EVERY_MS) return;
    lastLog = now;
    serverLog.warn({ dropped, maxConnections: max }, 'connections refused: HTTP_MAX_CONNECTIONS reached');
    dropped = 0;
  });
}
