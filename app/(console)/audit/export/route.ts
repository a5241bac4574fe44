// GET /audit/export — the filtered audit log as CSV, streamed a keyset page at a time (admins only).
import { headers } from 'next/headers';
import { currentDatabase } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { csvRow } from '@/lib/audit/csv';
import { auditQuery, parseAuditFilters } from '@/lib/audit/filters';
import { actionLabel } from '@/lib/audit/labels';
import { auditPage } from '@/lib/audit/list';
import { formatAuditTime } from '@/lib/audit/time';
import { CLIENT_IP_HEADER } from '@/lib/auth/options';
import { exportStamp } from '@/lib/csv';
import { AuthError, assertRole } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { loadKfSettings } from '@/lib/kf/settings';
import { errorText, log } from '@/lib/log';

const BATCH = 1000;
const exportLog = log.child({ module: 'audit-export' });

export async function GET(request: Request): Promise<Response> {
  let user;
  try {
    user = await assertRole('admin');
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // A line of text rather than nothing: a browser shows it instead of its bare "HTTP ERROR 403".
    const { t } = await getT();
    const forbidden = error.code === 'forbidden';
    return new Response(t(forbidden ? 'shell.denied' : 'shell.signedOut'), {
      status: forbidden ? 403 : 401,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const { t, locale } = await getT();
  const db = currentDatabase().db;
  const { filters } = parseAuditFilters(Object.fromEntries(new URL(request.url).searchParams));
  delete filters.before;
  const timezone = (await loadKfSettings(db)).hours.timezone;
  const ip = (await headers()).get(CLIENT_IP_HEADER);
  await recordAudit(db, { userId: user.id, action: 'audit.export', detail: auditQuery(filters) || undefined, ip });

  const encoder = new TextEncoder();
  let cursor: { at: string; id: number } | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM, so spreadsheet programs read the Chinese names as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvRow([t('audit.when'), 'time_utc', t('audit.who'), 'email', t('audit.action'), 'action', t('audit.target'), 'detail', 'changes', t('audit.ip')])}`));
    },
    async pull(controller) {
      try {
        const { rows, hasOlder } = await auditPage(db, { ...filters, before: cursor }, timezone, BATCH);
        for (const row of rows) {
          controller.enqueue(
            encoder.encode(
              csvRow([
                formatAuditTime(row.createdAt, timezone, locale),
                row.createdAt.toISOString(),
                row.userName,
                row.userEmail,
                actionLabel(row.action, locale),
                row.action,
                row.target,
                row.detail,
                row.changes == null ? '' : JSON.stringify(row.changes),
                row.ip,
              ]),
            ),
          );
        }
        const last = rows.at(-1);
        if (!hasOlder || !last) return controller.close();
        cursor = { at: last.cursorAt, id: last.id };
      } catch (error) {
        exportLog.error({ err: errorText(error) }, 'audit export failed');
        controller.error(new Error('export failed'));
      }
    },
  });
  const day = exportStamp(new Date(), timezone).slice(0, 8);
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="wekf-audit-${day}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
