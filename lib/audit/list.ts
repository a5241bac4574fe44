// The audit log as the page and its CSV export read it: filters in the service's zone, keyset pages.
import 'server-only';
import type { DbOrTx } from '@/db/client';
import { listAuditPage, type AuditFilter } from '@/db/queries/audit-log';
import type { AuditFilters } from './filters';
import { endOfLocalDate, startOfLocalDate } from './time';

export const AUDIT_PAGE_SIZE = 50;

export function queryFilter(filters: AuditFilters, timezone: string): AuditFilter {
  return {
    userId: filters.user,
    kind: filters.kind,
    from: filters.from ? startOfLocalDate(filters.from, timezone) : undefined,
    until: filters.to ? endOfLocalDate(filters.to, timezone) : undefined,
  };
}

/** One page, and whether an older one exists (one row more is read to know). */
export async function auditPage(db: DbOrTx, filters: AuditFilters, timezone: string, limit = AUDIT_PAGE_SIZE) {
  const rows = await listAuditPage(db, { ...queryFilter(filters, timezone), cursor: filters.before, limit: limit + 1 });
  return { rows: rows.slice(0, limit), hasOlder: rows.length > limit };
}
