// GET /api/health — liveness, database kind and WeChat mode, and how the background jobs are doing,
// for load balancers and people. Job errors stay in the console: this route needs no sign-in.
import { currentDatabase } from '@/db/client';
import { listJobRuns } from '@/db/queries/job-runs';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

export async function GET() {
  const mode = env().sandbox ? 'sandbox' : 'live';
  try {
    const database = currentDatabase();
    await database.ping(1000);
    const jobs = (await listJobRuns(database.db)).map((run) => ({
      name: run.name,
      lastOkAt: run.lastOkAt?.toISOString() ?? null,
      failing: run.failures > 0,
      failures: run.failures,
    }));
    return Response.json({ status: 'ok', db: database.kind, mode, jobs }, { headers: { 'cache-control': 'no-store' } });
  } catch {
    return Response.json(
      { status: 'unavailable', reason: 'the database is unreachable', mode },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
