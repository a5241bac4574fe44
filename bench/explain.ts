// --explain: EXPLAIN ANALYZE of the statements the webhook and the dispatcher run under load, against
// the database as the run left it (thousands of waiting sessions). The SQL is the real statements'
// text from db/queries; writes happen inside a transaction that is rolled back.
import { CLAIM_KEYWORDS, APPLY_KEYWORDS } from '@/db/queries/keyword-messages';
import { CLAIM_DUE_OUTBOX } from '@/db/queries/outbox';
import { RECORD_PLAIN_MESSAGES } from '@/db/queries/plain-message';
import type { RawDb } from './seed';

interface Statement {
  name: string;
  sql: string;
  params: unknown[];
}

function statements(sample: { openid: string }): Statement[] {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 48 * 3600_000).toISOString();
  const keys = Array.from({ length: 16 }, (_, i) => `10000000000000000${String(i).padStart(2, '0')}`);
  const openids = keys.map((_, i) => (i === 0 ? sample.openid : `o_bench_${i}`));
  const texts = (t: string) => keys.map(() => t);
  return [
    {
      name: 'recordPlainMessages (a batch of 16 ordinary messages)',
      sql: RECORD_PLAIN_MESSAGES,
      params: [keys, openids, texts('text'), texts('你好'), texts('<xml>hint</xml>'), texts('<xml>transfer</xml>'), texts('<xml>'), texts('</xml>'), now, 5, later],
    },
    {
      name: 'claimKeywordPushes (a batch of 16 keywords: claim, grant, sessions, line length, agents)',
      sql: CLAIM_KEYWORDS,
      params: [keys, openids, texts('text'), texts('客服'), now, 5, later],
    },
    {
      name: 'applyKeywordDecisions (open one session, two outbox rows)',
      sql: APPLY_KEYWORDS,
      params: [['o_explain_new'], now, later, ['queue_position', 'agent_alert'], ['o_explain_new', 'o_bench_agent_1'], [5, 1], ['{}', '{}'], ['o_explain_new', null], [], []],
    },
    {
      name: 'claimDueOutbox (dispatcher, 50 rows; numbers the waiting line when a row waits on a session)',
      sql: CLAIM_DUE_OUTBOX,
      params: [now, new Date(Date.now() + 30_000).toISOString(), 50],
    },
  ];
}

export async function explainHotQueries(db: RawDb): Promise<string> {
  const [sample] = await db.query<{ openid: string }>(
    `select openid from customer_sessions where status = 'waiting' order by queued_at desc, id desc limit 1`,
  );
  const s = { openid: sample?.openid ?? 'o_bench_0' };
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
