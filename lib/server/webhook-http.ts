// Serves the webhook on a raw Node request: the query checks first, then the body under the size
// cap and a time limit, then the answer. Shared by server.ts and the integration tests, so tests go
// through the same listener code.
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEBHOOK_MAX_BODY, type Webhook, type WebhookResponse } from '@/lib/kf/webhook';
import { errorText, log } from '@/lib/log';
import { BodyTimeoutError, BodyTooLargeError, readBody } from './request-body';

const httpLog = log.child({ module: 'webhook' });

/** A push's whole body must arrive within this; WeChat sends a few KB at once, a trickle is an attack. */
export const WEBHOOK_BODY_TIMEOUT_MS = 10_000;

export async function serveWebhook(
  webhook: Webhook,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  opts: { bodyTimeoutMs?: number } = {},
): Promise<void> {
  try {
    // Refused on the query alone, the body is never read: the connection closes instead, so an
    // unsigned upload is neither buffered nor waited for.
    const refused = webhook.checkQuery(req.method ?? 'GET', query);
    if (refused) {
      send(res, refused, { close: req.method !== 'GET' });
      return;
    }
    const body = await readBody(req, WEBHOOK_MAX_BODY, opts.bodyTimeoutMs ?? WEBHOOK_BODY_TIMEOUT_MS);
    // The query was checked above: its signature is not verified twice.
    send(res, await webhook.handleChecked({ method: req.method ?? 'GET', query, body }), { close: false });
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      send(res, { status: 413, headers: { 'content-type': 'text/plain' }, body: 'payload too large' }, { close: true });
      return;
    }
    if (error instanceof BodyTimeoutError) {
      send(res, { status: 408, headers: { 'content-type': 'text/plain' }, body: 'request timeout' }, { close: true });
      return;
    }
    httpLog.error({ err: errorText(error) }, 'webhook failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  }
}

function send(res: ServerResponse, result: WebhookResponse, opts: { close: boolean }): void {
  // With its length known, Node sends the answer whole in one write; without it, writeHead's
  // headers make the body go out chunked, in several buffers.
  const headers: Record<string, string | number> = { ...result.headers, 'content-length': Buffer.byteLength(result.body) };
  if (opts.close) headers.connection = 'close';
  res.writeHead(result.status, headers);
  res.end(result.body);
}
