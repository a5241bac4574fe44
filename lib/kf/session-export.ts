// The CSV exports of /sessions: exactly the filtered list, or the transcript lines of a date range,
// streamed a keyset batch at a time. The stream is pulled: the next batch is read only when the
// browser has taken the last one, so a slow reader holds one batch in memory, not the file. Each
// export is audited once it ends (who, filter, rows, finished or cancelled).
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { sessionHistoryBatches, type HistoryContext, type SessionFilter, type SessionHistoryRow } from '@/db/queries/session-history';
import { transcriptBatches, type TranscriptExportLine } from '@/db/queries/transcripts';
import { CSV_BOM, csvRow, type CsvValue } from '@/lib/csv';
import { errorText, log } from '@/lib/log';

const exportLog = log.child({ module: 'export' });

export const SESSION_CSV_HEADER = [
  'session_id',
  'openid',
  'status',
  'end_reason',
  'queued_at',
  'waited_seconds',
  'agents',
  'accepted_at',
  'ended_at',
  'handled_seconds',
  'closed_by',
  'remark',
  'ended_by_staff',
];
export const TRANSCRIPT_CSV_HEADER = ['session_id', 'openid', 'direction', 'agent', 'sent_at', 'text'];

/** "2026-03-01 08:00:05" in the service time zone: what a spreadsheet reads as a date and time. */
function localTime(timezone: string): (d: Date | null) => string {
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' });
  return (d) => (d ? format.format(d) : '');
}

const seconds = (from: Date | null, to: Date | null): number | null => (from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null);

export function sessionCsvLine(row: SessionHistoryRow, at: (d: Date | null) => string): CsvValue[] {
  const agents = [...(row.switchedFrom ? row.switchedFrom.split(',') : []), row.kfAccount].filter(Boolean).join(' > ');
  return [
    row.id,
    row.openid,
    row.status,
    row.endReason,
    at(row.queuedAt),
    seconds(row.queuedAt, row.startedAt ?? row.endedAt),
    agents,
    at(row.startedAt),
    at(row.endedAt),
    seconds(row.startedAt, row.endedAt),
    row.closedByKfAccount,
    // Last, so files read by column position before remarks existed still line up.
    row.remark,
    // closed_by is the agent account WeChat closed under; this is who asked for it in the console.
    row.endedByStaff,
  ];
}

function transcriptCsvLine(line: TranscriptExportLine, at: (d: Date | null) => string): CsvValue[] {
  return [line.sessionId, line.openid, line.opercode === 2002 ? 'agent' : 'follower', line.kfAccount, at(line.sentAt), line.text];
}

interface Audit {
  db: DbOrTx;
  userId: number;
  action: string;
  detail: Record<string, unknown>;
  /** The requester's address, read when the request came: the audit row is written when the stream ends, outside it. */
  ip?: string | null;
}

function csvStream<T>(batches: AsyncGenerator<T[]>, header: string[], line: (row: T) => CsvValue[], audit: Audit): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let rows = 0;
  let audited = false;
  // Set as the reader goes away (a download cancelled): a batch read meanwhile is dropped, not an error.
  let cancelled = false;
  const finish = async (outcome: 'complete' | 'cancelled' | 'failed') => {
    if (audited) return;
    audited = true;
    await recordAudit(audit.db, { userId: audit.userId, action: audit.action, detail: JSON.stringify({ ...audit.detail, rows, outcome }), ip: audit.ip }).catch((error: unknown) =>
      exportLog.warn({ err: errorText(error) }, 'could not audit an export'),
    );
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(header)));
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (cancelled) return;
          if (next.done) {
            await finish('complete');
            controller.close();
            return;
          }
          rows += next.value.length;
          controller.enqueue(encoder.encode(next.value.map((r) => csvRow(line(r))).join('')));
        } catch (error) {
          if (cancelled) return;
          exportLog.warn({ err: errorText(error), rows }, 'export failed');
          await finish('failed');
          controller.error(new Error('export failed'));
        }
      },
      async cancel() {
        cancelled = true;
        await batches.return(undefined);
        await finish('cancelled');
      },
    },
    // One batch waits in the queue at most; the next is read when the reader wants it.
    { highWaterMark: 1 },
  );
}

export function exportSessionsCsv(db: DbOrTx, params: HistoryContext & { userId: number; ip?: string | null; batchSize?: number }): ReadableStream<Uint8Array> {
  const at = localTime(params.timezone);
  return csvStream(sessionHistoryBatches(db, params), SESSION_CSV_HEADER, (r) => sessionCsvLine(r, at), {
    db,
    userId: params.userId,
    action: 'sessions.export',
    detail: { filter: compactFilter(params.filter) },
    ip: params.ip,
  });
}

/** Transcript lines, one row each, of the days from `from` to `to` (service time zone). */
export function exportTranscriptsCsv(
  db: DbOrTx,
  params: { from: string; to: string; timezone: string; userId: number; ip?: string | null; batchSize?: number },
): ReadableStream<Uint8Array> {
  const at = localTime(params.timezone);
  return csvStream(transcriptBatches(db, params), TRANSCRIPT_CSV_HEADER, (l) => transcriptCsvLine(l, at), {
    db,
    userId: params.userId,
    action: 'transcripts.export',
    detail: { filter: { from: params.from, to: params.to } },
    ip: params.ip,
  });
}

function compactFilter(filter: SessionFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}
