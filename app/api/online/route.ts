// POST /api/online — an open console page asking for fresh online status (OnlineHeartbeat), refreshed
// from WeChat at most once per ONLINE_FRESH_MS for every instance and page. A route, not a server
// action: every server action call empties the browser's router cache, and each open tab then
// fetched its page and every page in the navigation again, every 30 s.
import { currentDatabase } from '@/db/client';
import { AuthError, assertRole } from '@/lib/auth/session';
import { refreshOnlineIfStale } from '@/lib/kf/agents';
import { errorText, log } from '@/lib/log';
import { wechatApiForConsole } from '@/lib/wechat-account/console';

export const dynamic = 'force-dynamic';

const onlineLog = log.child({ module: 'online' });

export async function POST(request: Request): Promise<Response> {
  // The console's own pages only: another site cannot make a signed-in browser spend WeChat's quota.
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return answer(403, { error: 'forbidden' });
  try {
    await assertRole('any');
  } catch (error) {
    if (error instanceof AuthError) return answer(401, { error: 'unauthenticated' });
    throw error;
  }
  try {
    return answer(200, { refreshed: await refreshOnlineIfStale({ database: currentDatabase(), kf: wechatApiForConsole() }) });
  } catch (error) {
    // WeChat unreachable or refusing: the job records it; the page keeps the status it has.
    onlineLog.warn({ err: errorText(error) }, 'online status refresh failed');
    return answer(200, { refreshed: false });
  }
}

function answer(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}
