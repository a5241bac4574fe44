import 'server-only';
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { auditLog, users } from '../schema';

export async function recordAudit(
  db: DbOrTx,
  params: { userId: number | null; action: string; target?: string; detail?: string },
): Promise<void> {
  await db.insert(auditLog).values(params);
}

export async function listAudit(db: DbOrTx, params: { limit: number }) {
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      target: auditLog.target,
      detail: auditLog.detail,
      createdAt: auditLog.createdAt,
      userEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(params.limit);
}
