// --explain: EXPLAIN ANALYZE of the statements a keyword push and the dispatcher run, against the
// database as the run left it (thousands of waiting sessions). Writes happen inside a transaction
// that is rolled back. The SQL mirrors what db/queries/* generate through Drizzle; keep it in step if
// those change. (Ordinary messages take one statement, db/queries/plain-message.ts, not shown here.)
import type { RawDb } from './seed';

interface Statement {
  name: string;
  sql: string;
  params: unknown[];
}

function statements(sample: { openid: string; sessionId: number; queuedAt: string }): Statement[] {
  const now = new Date().toISOString();
  return [
    {
      name: 'claimInbound (insert … on conflict do nothing)',
      sql: `insert into inbound_messages (dedupe_key, openid, msg_type, event, summary, state, received_at)
            values ($1, $2, 'text', null, '你好', 'processing', $3) on conflict (dedupe_key) do nothing returning id`,
      params: ['1000000000000000001', sample.openid, now],
    },
    {
      name: 'recordInteraction (followers upsert)',
      sql: `insert into followers (openid, subscribed, last_interaction_at, message_sends_left, message_grant_expires_at)
            values ($1, true, $2, 5, $2) on conflict (openid) do update
            set subscribed = true, last_interaction_at = excluded.last_interaction_at,
                message_sends_left = 5, message_grant_expires_at = excluded.message_grant_expires_at`,
      params: [sample.openid, now],
    },
    {
      name: 'findOpenSession',
      sql: `select * from customer_sessions where openid = $1 and status in ('waiting', 'active')`,
      params: [sample.openid],
    },
    {
      name: 'countActiveAgents',
      sql: `select count(*)::int from agents where status = 'active'`,
      params: [],
    },
    {
      name: 'queuePosition (count waiting, and those ahead)',
      sql: `select count(*)::int,
                   count(*) filter (where queued_at < $1 or (queued_at = $1 and id < $2))::int
              from customer_sessions where status = 'waiting' and wait_expires_at > $3`,
      params: [sample.queuedAt, sample.sessionId, now],
    },
    {
      name: 'claimDueOutbox (dispatcher)',
      sql: `update outbox set status = 'sending', attempts = attempts + 1, next_attempt_at = $1::timestamptz + interval '30 seconds'
             where id in (select id from outbox where status in ('pending', 'sending') and next_attempt_at <= $1::timestamptz
                          order by priority, id limit 50 for update skip locked) returning id`,
      params: [now],
    },
  ];
}

export async function explainHotQueries(db: RawDb): Promise<string> {
  const [sample] = await db.query<{ openid: string; id: number; queued_at: string }>(
    `select openid, id, queued_at::text from customer_sessions where status = 'waiting' order by queued_at desc, id desc limit 1`,
  );
  const s = { openid: sample?.openid ?? 'o_bench_0', sessionId: sample?.id ?? 0, queuedAt: sample?.queued_at ?? new Date().toISOString() };
  const out: string[] = [];
  for (const st of statements(s)) {
    await db.query('begin');
    try {
      const rows = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${st.sql}`, st.params);
      out.push(`-- ${st.name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    } catch (error) {
      out.push(`-- ${st.name}\n(failed: ${error instanceof Error ? error.message : String(error)})`);
    } finally {
      await db.query('rollback');
    }
  }
  return out.join('\n\n');
}
