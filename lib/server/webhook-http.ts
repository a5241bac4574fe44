// Serves the webhook function on a raw Node request: reads the body under the size cap and writes
// the answer. Shared by server.ts and the integration tests, so tests go through the same listener code.
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEBHOOK_MAX_BODY, type WebhookRequest, type WebhookResponse } from '@/lib/kf/webhook';
import { errorText, log } from '@/lib/log';
import { BodyTooLargeError, readBody } from './request-body';

const httpLog = log.child({ module: 'webhook' });

export async function serveWebhook(
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  try {
    const body = await readBody(req, WEBHOOK_MAX_BODY);
    const result = await handle({ method: req.method ?? 'GET', query, body });
    // With its length known, Node sends the answer whole in one write; without it, writeHead's
    // headers make the body go out chunked, in several buffers.
    res.writeHead(result.status, { ...result.headers, 'content-length': Buffer.byteLength(result.body) });
    res.end(result.body);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      res.end('payload too large');
      return;
    }
    httpLog.error({ err: errorText(error) }, 'webhook failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  }
}
