// The webhook's hot statements are prepared, and Postgres caches one generic plan per connection.
// A plan that reaches customer_sessions or inbound_messages by scanning the whole table costs more
// with every session and push stored, so these statements are written as per-row lookups through
// unique indexes (see db/queries/plain-message.ts). This checks the plans Postgres would cache for
// them on a database the size a busy hour leaves: every read of those two tables goes through an index.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { keywordStatements, type KeywordPush } from '@/db/queries/keyword-messages';
import { RECORD_PLAIN_MESSAGES } from '@/db/queries/plain-message';
import { testDatabases } from './databases';

const literal = (value: unknown): string => {
  if (Array.isArray(value)) return `array[${value.map((v) => (v === null ? 'null' : `'${String(v).replaceAll("'", "''")}'`)).join(',')}]::text[]`;
  if (typeof value === 'number') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
};
const typeOf = (value: unknown) => (Array.isArray(value) ? 'text[]' : typeof value === 'number' ? 'int' : 'text');

describe.each(testDatabases)('hot statement plans on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ handle: database, drop } = await testDb.open());
  });
  afterEach(() => drop());

  /** The generic plan of `text` for these parameters, as one connection would cache it. */
  async function genericPlan(text: string, params: unknown[]): Promise<string> {
    const run = async (q: (sql: string) => Promise<Record<string, unknown>[]>) => {
      await q('set plan_cache_mode = force_generic_plan');
      await q(`prepare hot(${params.map(typeOf).join(',')}) as ${text}`);
      try {
        const rows = await q(`explain execute hot(${params.map(literal).join(',')})`);
        return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
      } finally {
        await q('deallocate hot');
        await q('reset plan_cache_mode');
      }
    };
    if (database.postgres) {
      const connection = await database.postgres.reserve();
      try {
        return await run(async (sql) => [...(await connection.unsafe(sql))]);
      } finally {
        connection.release();
      }
    }
    return run(async (sql) => (await database.pglite!.query<Record<string, unknown>>(sql)).rows);
  }

  it('reach sessions and stored pushes only through indexes', async () => {
    const exec = async (sql: string) => {
      if (database.postgres) await database.postgres.unsafe(sql);
      else await database.pglite!.exec(sql);
    };
    await exec(`insert into customer_sessions (openid, status, queued_at, wait_expires_at)
      select 'o_' || g, 'waiting', now(), now() + interval '1 hour' from generate_series(1, 2000) g`);
    await exec(`insert into inbound_messages (dedupe_key, openid, msg_type, state, reply)
      select 'k' || g, 'o_' || (g % 2000), 'text', 'done', 'success' from generate_series(1, 20000) g`);
    await exec('analyze');

    const now = new Date();
    const replies: KeywordPush['replies'] = { transfer: 't', toAgent: { before: 'b', after: 'a' }, closed: null, noAgents: 'n' };
    const pushes = [1, 2, 3].map((i) => ({ dedupeKey: `new${i}`, openid: `o_${i}`, msgType: 'text', summary: '客服', replies }));
    const [claim, decide] = keywordStatements(pushes, {
      now,
      waitExpiresAt: new Date(now.getTime() + 3_600_000),
      outbox: { queuePayload: {}, queuePriority: 5, alertPayload: {}, alertPriority: 1 },
    });
    const texts = (t: string) => pushes.map(() => t);
    const plain = [pushes.map((p) => p.dedupeKey), pushes.map((p) => p.openid), texts('text'), texts('hi'), texts('r'), texts('r'), texts('b'), texts('a'), now.toISOString(), 5, now.toISOString()];

    for (const [name, text, params] of [
      ['ordinary messages', RECORD_PLAIN_MESSAGES, plain],
      ['keyword claim', claim.text, claim.params],
      ['keyword decision', decide.text, decide.params],
    ] as const) {
      const plan = await genericPlan(text, params as unknown[]);
      expect(plan, name).toMatch(/Index (Only )?Scan using customer_sessions_/);
      expect(plan, `${name}:\n${plan}`).not.toMatch(/Seq Scan on (customer_sessions|inbound_messages)\b/);
    }
  });
});
