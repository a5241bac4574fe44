// GET /api/health — liveness, database kind and WeChat mode, for load balancers and people
import { currentDatabase } from '@/db/client';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

export async function GET() {
  const mode = env().sandbox ? 'sandbox' : 'live';
  try {
    const database = currentDatabase();
    await database.ping(1000);
    return Response.json({ status: 'ok', db: database.kind, mode });
  } catch {
    return Response.json(
      { status: 'unavailable', reason: 'the database is unreachable', mode },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
