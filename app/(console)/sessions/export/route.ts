// GET /sessions/export — the filtered session list (or, with kind=transcripts, the transcript lines
// of a date range) as a streamed CSV, for admins and operators; audited when it ends.
import { headers } from 'next/headers';
import { currentDatabase } from '@/db/client';
import { CLIENT_IP_HEADER } from '@/lib/auth/options';
import { AuthError, assertRole } from '@/lib/auth/session';
import { exportStamp } from '@/lib/csv';
import { loadKfSettings } from '@/lib/kf/settings';
import { exportSessionsCsv, exportTranscriptsCsv } from '@/lib/kf/session-export';
import { parseSessionFilters } from '../schemas';

export const dynamic = 'force-dynamic';

const MAX_TRANSCRIPT_DAYS = 31;

export async function GET(request: Request): Promise<Response> {
  let userId: number;
  try {
    userId = (await assertRole('any')).id;
  } catch (error) {
    if (error instanceof AuthError) return plain(error.code === 'unauthenticated' ? 401 : 403, 'Sign in to export.');
    throw error;
  }
  const url = new URL(request.url);
  const parsed = parseSessionFilters(Object.fromEntries(url.searchParams));
  if (parsed.invalid.length > 0) return plain(400, `Invalid filters: ${parsed.invalid.join(', ')}`);
  const db = currentDatabase().db;
  const timezone = (await loadKfSettings(db)).hours.timezone;
  const stamp = exportStamp(new Date(), timezone);
  const ip = (await headers()).get(CLIENT_IP_HEADER);

  if (url.searchParams.get('kind') === 'transcripts') {
    const { from, to } = parsed.filter;
    if (!from || !to) return plain(400, 'A transcript export needs a date range (from and to).');
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days > MAX_TRANSCRIPT_DAYS) return plain(400, `A transcript export covers at most ${MAX_TRANSCRIPT_DAYS} days.`);
    return csv(exportTranscriptsCsv(db, { from, to, timezone, userId, ip }), `wekf-transcripts-${stamp}.csv`);
  }
  return csv(exportSessionsCsv(db, { filter: parsed.filter, timezone, now: new Date(), userId, ip }), `wekf-sessions-${stamp}.csv`);
}

function csv(body: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
