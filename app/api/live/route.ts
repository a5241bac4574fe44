// GET /api/live — the live page's server-sent events: ids and kinds of what changed, for signed-in staff.
import { currentDatabase } from '@/db/client';
import { currentUser } from '@/lib/auth/session';
import { liveHub } from '@/lib/live/hub';
import { LIVE_STREAM_HEADERS, liveEventStream } from '@/lib/live/sse';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const user = await currentUser().catch(() => null);
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401, headers: { 'cache-control': 'no-store' } });
  const stream = liveEventStream({
    hub: liveHub(currentDatabase()),
    lastEventId: request.headers.get('last-event-id'),
    signal: request.signal,
  });
  return new Response(stream, { headers: LIVE_STREAM_HEADERS });
}
