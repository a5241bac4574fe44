// --explain: EXPLAIN ANALYZE of the statements the webhook and the dispatcher run under load, against
// the database as the run left it (thousands of waiting sessions). The SQL is the real statements'
// text from db/queries; writes happen inside a transaction that is rolled back.
import { createHash } from 'node:crypto';
import { keywordStatements } from '@/db/queries/keyword-messages';
import { CLAIM_DUE_OUTBOX } from '@/db/queries/outbox';
import { RECORD_PLAIN_MESSAGES } from '@/db/queries/plain-message';
import { pushQueryParams } from '@/db/queries/replay-store';
import type { RawDb } from './seed';

interface Statement {
  name: string;
  sql: string;
  params: unknown[];
  /** Run first in the same transaction (what the statement reads). */
  before?: { sql: string; params: unknown[] };
}

function statements(sample: { openid: string }): Statement[] {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 48 * 3600_000).toISOString();
  const keys = Array.from({ length: 16 }, (_, i) => `10000000000000000${String(i).padStart(2, '0')}`);
  const openids = keys.map((_, i) => (i === 0 ? sample.openid : `o_bench_${i}`));
  const texts = (t: string) => keys.map(() => t);
  // Each push with a signed query of its own, as the webhook passes them to the replay store.
  const queryOf = (key: string) => ({ timestamp: String(Math.floor(Date.now() / 1000)), nonce: `n${key}`, signature: createHash('sha1').update(key).digest('hex'), bodyHash: `h${key}` });
  const replies = { transfer: '<xml>transfer</xml>', toAgent: { before: '<xml>', after: '</xml>' }, offHours: null, noAgents: '<xml>none</xml>' };
  const [claim, decide] = keywordStatements(
    keys.map((dedupeKey, i) => ({ dedupeKey, openid: i === 1 ? 'o_explain_new' : openids[i]!, msgType: 'text', summary: '客服', replies, query: queryOf(dedupeKey) })),
    { now: new Date(now), waitExpiresAt: new Date(Date.now() + 30 * 60_000), outbox: { queuePayload: {}, queuePriority: 5, alertPayload: {}, alertPriority: 1 } },
  );
  return [
    {
      name: 'recordPlainMessages (a batch of 16: 13 ordinary messages, 3 keywords from followers in line or deferred)',
      sql: RECORD_PLAIN_MESSAGES,
      params: [keys, openids, texts('text'), texts('你好'), texts('<xml>hint</xml>'), texts('<xml>transfer</xml>'), texts('<xml>'), texts('</xml>'), now, 5, later, ...pushQueryParams(keys.map((key) => ({ query: queryOf(key) }))), keys.map((_, i) => (i % 5 === 0 ? 'keyword' : null)), keys.map((_, i) => (i % 5 === 0 ? '{"msgtype":"text"}' : null)), keys.map((_, i) => (i % 5 === 0 ? 5 : null))],
    },
    {
      name: 'keyword claim (a batch of 16 keywords: claim, renew grants, expire stale sessions)',
      sql: claim.text,
      params: claim.params,
    },
    {
      name: 'keyword decision (the same batch after its claim: one new session and its alert, 15 places re-sent)',
      sql: decide.text,
      params: decide.params,
      before: { sql: claim.text, params: claim.params },
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
      if (st.before) await db.query(st.before.sql, st.before.params);
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
