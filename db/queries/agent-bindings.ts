// One-time proofs of an agent's openid: a QR scene or a 6-digit code, each used at most once.
import 'server-only';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agentBindings, agents, bindCodeFailures } from '../schema';

export type AgentBinding = typeof agentBindings.$inferSelect;

/**
 * A new binding. A secret may be reused once its earlier row is spent or expired (six digits run
 * out otherwise); false when an unexpired unused one holds it, so the caller draws another.
 */
export async function insertBinding(
  tx: DbOrTx,
  params: { agentId: number; kind: 'qr' | 'code'; secret: string; qrTicket?: string; expiresAt: Date; createdBy: number; now: Date },
): Promise<AgentBinding | undefined> {
  await tx
    .delete(agentBindings)
    .where(
      and(
        eq(agentBindings.kind, params.kind),
        eq(agentBindings.secret, params.secret),
        or(sql`${agentBindings.usedAt} is not null`, lt(agentBindings.expiresAt, params.now)),
      ),
    );
  const [row] = await tx
    .insert(agentBindings)
    .values({ ...params, createdAt: params.now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/**
 * Spend a binding: atomically, so two deliveries of the same scan or code (WeChat retries, two
 * instances) bind once. The agent it binds, or undefined when unknown, used or expired.
 */
export async function spendBinding(
  tx: DbOrTx,
  params: { kind: 'qr' | 'code'; secret: string; openid: string; now: Date },
): Promise<{ agentId: number; nickname: string; kfAccount: string } | undefined> {
  const [spent] = await tx
    .update(agentBindings)
    .set({ usedAt: params.now, usedByOpenid: params.openid })
    .where(
      and(
        eq(agentBindings.kind, params.kind),
        eq(agentBindings.secret, params.secret),
        isNull(agentBindings.usedAt),
        gt(agentBindings.expiresAt, params.now),
      ),
    )
    .returning({ agentId: agentBindings.agentId });
  if (!spent) return undefined;
  const [agent] = await tx
    .select({ agentId: agents.id, nickname: agents.nickname, kfAccount: agents.kfAccount, status: agents.status })
    .from(agents)
    .where(eq(agents.id, spent.agentId));
  return agent && agent.status !== 'removed' ? agent : undefined;
}

/** The latest binding of an agent, for the page waiting on a scan or a code. */
export async function findBinding(tx: DbOrTx, params: { id: number }): Promise<AgentBinding | undefined> {
  const [row] = await tx.select().from(agentBindings).where(eq(agentBindings.id, params.id));
  return row;
}

export async function latestBinding(tx: DbOrTx, params: { agentId: number }): Promise<AgentBinding | undefined> {
  const [row] = await tx
    .select()
    .from(agentBindings)
    .where(eq(agentBindings.agentId, params.agentId))
    .orderBy(desc(agentBindings.createdAt), desc(agentBindings.id))
    .limit(1);
  return row;
}

/** The last `limit` wrong codes from one openid, newest first. */
export async function recentCodeFailures(tx: DbOrTx, params: { openid: string; since: Date; limit: number }): Promise<Date[]> {
  const rows = await tx
    .select({ at: bindCodeFailures.at })
    .from(bindCodeFailures)
    .where(and(eq(bindCodeFailures.openid, params.openid), gt(bindCodeFailures.at, params.since)))
    .orderBy(desc(bindCodeFailures.at))
    .limit(params.limit);
  return rows.map((r) => r.at);
}

export async function recordCodeFailure(tx: DbOrTx, params: { openid: string; at: Date }): Promise<void> {
  await tx.insert(bindCodeFailures).values(params);
}

/** Old wrong-code records and spent or expired bindings, a day on: nothing reads them after. */
export async function sweepBindings(tx: DbOrTx, params: { before: Date }): Promise<void> {
  await tx.delete(bindCodeFailures).where(lt(bindCodeFailures.at, params.before));
  await tx.delete(agentBindings).where(lt(agentBindings.expiresAt, params.before));
}
