// GET /api/live — the live page's server-sent events (ids and kinds of what changed) for signed-in
// staff, served by server.ts on the raw Node response rather than through Next: every open page holds
// one of these all day, and each event is a write to every one of them (lib/live/sse.ts).
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '@/db/client';
import { userOfCookieHeader } from '@/lib/auth/session-cookie';
import { liveHub } from '@/lib/live/hub';
import { LIVE_STREAM_HEADERS, streamLiveEvents } from '@/lib/live/sse';
import { errorText, log } from '@/lib/log';

export const LIVE_PATH = '/api/live';
const liveLog = log.child({ module: 'live' });

export async function serveLive(req: IncomingMessage, res: ServerResponse, database: () => DatabaseHandle): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
  let signedIn: boolean;
  try {
    // Checked against the database on every connection: a signed-out, disabled or demoted user's
    // page stops at its next reconnect (the stream's lifetime bounds how long that can take).
    signedIn = (await userOfCookieHeader(database().db, req.headers.cookie)) !== null;
  } catch (error) {
    liveLog.warn({ err: errorText(error) }, 'live stream refused: the sign-in could not be checked');
    return answer(res, 503, { error: 'unavailable' }, { 'retry-after': '5' });
  }
  if (!signedIn) return answer(res, 401, { error: 'unauthenticated' });
  if (res.destroyed) return;
  res.writeHead(200, LIVE_STREAM_HEADERS);
  if (req.method === 'HEAD') return void res.end();
  // The stream's small writes go out at once, not after Nagle's delay.
  res.socket?.setNoDelay(true);
  const lastEventId = req.headers['last-event-id'];
  await streamLiveEvents(res, { hub: liveHub(database()), lastEventId: typeof lastEventId === 'string' ? lastEventId : null });
}

function answer(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
