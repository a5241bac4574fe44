// After a run: does the database hold exactly what the generator sent, once, with the side effects
// the flow promises? Expectations come from the message plan (bench/plan.ts), not from the database.
import type { Plan, PlanTotals } from './plan';
import type { RawDb, SeededAgent } from './seed';

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface OutboxStatusRow {
  kind: string;
  status: string;
  n: number;
}

const followerIndex = (openid: string) => (/^o_bench_(\d+)$/.exec(openid) ? Number(openid.slice('o_bench_'.length)) : -1);

export async function checkIntegrity(
  db: RawDb,
  plan: Plan,
  sent: PlanTotals,
  agents: SeededAgent[],
  /** What the fake WeChat delivered through custom/send during the run, per openid. */
  delivered: ReadonlyMap<string, number>,
): Promise<{ checks: Check[]; outbox: OutboxStatusRow[] }> {
  const checks: Check[] = [];
  const add = (name: string, pass: boolean, detail: string) => checks.push({ name, pass, detail });

  // 1. Every MsgId sent is stored exactly once, and nothing else is. Dedupe keys are
  //    <openid>:<MsgId>, and MsgIds 8 <runTag:5> <stream:3> <index:10>: per stream, unique keys
  //    whose count equals the range 0..n-1 they span are exactly that range.
  const [totals] = await db.query<{ n: number; d: number }>(
    `select count(*)::int as n, count(distinct dedupe_key)::int as d from inbound_messages`,
  );
  const perStream = await db.query<{ stream: number; n: number; lo: string; hi: string }>(
    `select substr(msg_id, 7, 3)::int as stream, count(*)::int as n,
            min(substr(msg_id, 10)::bigint)::text as lo, max(substr(msg_id, 10)::bigint)::text as hi
       from (select split_part(dedupe_key, ':', 2) as msg_id from inbound_messages where dedupe_key not like '%:%:%') as m
      where msg_id ~ $1 group by 1`,
    [`^8${plan.runTag}[0-9]{13}$`],
  );
  const problems: string[] = [];
  const seen = new Map(perStream.map((r) => [r.stream, r]));
  for (const [stream, n] of sent.streams) {
    const r = seen.get(stream);
    if (!r) {
      if (n > 0) problems.push(`stream ${stream}: 0 of ${n} stored`);
      continue;
    }
    if (r.n !== n || r.lo !== '0' || r.hi !== String(n - 1)) problems.push(`stream ${stream}: ${r.n} stored of ${n} (ids ${r.lo}..${r.hi})`);
  }
  for (const r of perStream) if (!sent.streams.has(r.stream)) problems.push(`stream ${r.stream}: ${r.n} rows never sent`);
  const matched = perStream.reduce((a, r) => a + r.n, 0);
  if (matched !== totals!.n) problems.push(`${totals!.n - matched} rows with a MsgId this run never sent`);
  if (totals!.d !== totals!.n) problems.push(`${totals!.n - totals!.d} duplicate dedupe keys`);
  add(
    'every MsgId sent is stored exactly once',
    problems.length === 0,
    `${sent.messages} distinct MsgIds sent, ${totals!.n} rows, ${totals!.d} distinct` + (problems.length ? `; ${problems.slice(0, 5).join('; ')}` : ''),
  );

  const [unfinished] = await db.query<{ n: number }>(
    `select count(*)::int as n from inbound_messages where state <> 'done' or reply is null`,
  );
  add('every stored message was handled (state done, reply stored)', unfinished!.n === 0, `${unfinished!.n} not done`);

  // 2. Sender and content as sent: per follower, messages and keyword messages.
  const byFollower = await db.query<{ openid: string; n: number; k: number }>(
    `select openid, count(*)::int as n, count(*) filter (where summary = $1)::int as k from inbound_messages group by openid`,
    [plan.keyword],
  );
  let wrongFollowers = 0;
  let storedFollowers = 0;
  for (const r of byFollower) {
    const f = followerIndex(r.openid);
    if (f < 0 || f >= plan.followers || sent.perFollower.messages[f] !== r.n || sent.perFollower.keywords[f] !== r.k) wrongFollowers++;
    else storedFollowers++;
  }
  const sendingFollowers = sent.perFollower.messages.reduce((a, n) => a + (n > 0 ? 1 : 0), 0);
  add(
    'each follower’s stored messages and keywords match what was sent',
    wrongFollowers === 0 && storedFollowers === sendingFollowers,
    `${storedFollowers} of ${sendingFollowers} followers match, ${wrongFollowers} differ`,
  );

  // 3. Sessions: at most one open per follower; exactly one (waiting) per follower who sent the keyword.
  const doubleOpen = await db.query<{ openid: string }>(
    `select openid from customer_sessions where status in ('waiting', 'active') group by openid having count(*) > 1`,
  );
  add('at most one open (waiting/active) session per follower', doubleOpen.length === 0, `${doubleOpen.length} followers with more than one`);

  const sessions = await db.query<{ openid: string; n: number; waiting: number }>(
    `select openid, count(*)::int as n, count(*) filter (where status = 'waiting')::int as waiting from customer_sessions group by openid`,
  );
  let badSessions = 0;
  for (const r of sessions) {
    const f = followerIndex(r.openid);
    if (f < 0 || !(sent.perFollower.keywords[f]! > 0) || r.n !== 1 || r.waiting !== 1) badSessions++;
  }
  const sessionCount = sessions.reduce((a, r) => a + r.n, 0);
  add(
    'one waiting session per follower who sent the keyword',
    badSessions === 0 && sessions.length === sent.keywordFollowers,
    `${sent.keywordFollowers} followers sent the keyword; ${sessionCount} sessions for ${sessions.length} followers, ${badSessions} wrong`,
  );

  // 4. Outbox: each keyword message → 1 queue_position to its sender (new session or already waiting);
  //    each new session → 1 agent_alert per alertable agent; nothing else.
  const queueRows = await db.query<{ openid: string; n: number }>(
    `select openid, count(*)::int as n from outbox where kind = 'queue_position' group by openid`,
  );
  let badQueue = 0;
  let queueTotal = 0;
  for (const r of queueRows) {
    queueTotal += r.n;
    const f = followerIndex(r.openid);
    if (f < 0 || sent.perFollower.keywords[f] !== r.n) badQueue++;
  }
  add(
    'outbox: one queue_position per keyword message',
    badQueue === 0 && queueTotal === sent.keywordMessages && queueRows.length === sent.keywordFollowers,
    `${sent.keywordMessages} keyword messages sent, ${queueTotal} queue_position rows, ${badQueue} followers wrong`,
  );

  const alertRows = await db.query<{ openid: string; n: number }>(
    `select openid, count(*)::int as n from outbox where kind = 'agent_alert' group by openid`,
  );
  const alerts = new Map(alertRows.map((r) => [r.openid, r.n]));
  const expectedAlerts = sent.keywordFollowers;
  const badAlerts =
    agents.filter((a) => (alerts.get(a.kfOpenid) ?? 0) !== expectedAlerts).length + alertRows.filter((r) => !agents.some((a) => a.kfOpenid === r.openid)).length;
  add(
    'outbox: one agent_alert per new session per agent',
    badAlerts === 0,
    `${expectedAlerts} sessions × ${agents.length} agent(s) expected; got ${alertRows.map((r) => `${r.n} to ${r.openid}`).join(', ') || 'none'}`,
  );

  const others = await db.query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from outbox where kind not in ('queue_position', 'agent_alert') group by kind`,
  );
  add('outbox: no other rows', others.length === 0, others.map((r) => `${r.n} ${r.kind}`).join(', ') || 'none');

  const outbox = await db.query<OutboxStatusRow>(
    `select kind, status::text as status, count(*)::int as n from outbox group by 1, 2 order by 1, 2`,
  );
  // The outbox finished: by shutdown (after the fake WeChat fell quiet) every row was sent or settled.
  const withStatus = (status: string) => outbox.filter((r) => r.status === status).reduce((sum, r) => sum + r.n, 0);
  const unsettled = withStatus('pending') + withStatus('sending');
  add('outbox: every row sent or settled for good by shutdown (none pending or sending)', unsettled === 0, `${unsettled} pending or sending`);

  // 5. Nothing sent twice or lost on the way: the fake WeChat delivered, to each openid, exactly as
  //    many messages as the outbox marked sent for it. The fake answers every send with success, so
  //    nothing should fail; a row may be skipped by design (a queue update that would spend a send
  //    kept for the greeting and closing, when the outbox runs behind a follower's keywords).
  const sentRows = await db.query<{ openid: string; n: number }>(
    `select openid, count(*)::int as n from outbox where status = 'sent' group by openid`,
  );
  const skippedRows = await db.query<{ reason: string; n: number }>(
    `select coalesce(last_error, '') as reason, count(*)::int as n from outbox where status = 'skipped' group by 1 order by 2 desc`,
  );
  const sentByOpenid = new Map(sentRows.map((r) => [r.openid, r.n]));
  const openids = new Set([...sentByOpenid.keys(), ...delivered.keys()]);
  const mismatched = [...openids].filter((o) => (sentByOpenid.get(o) ?? 0) !== (delivered.get(o) ?? 0));
  const totalSent = withStatus('sent');
  const totalDelivered = [...delivered.values()].reduce((a, n) => a + n, 0);
  const failed = withStatus('failed');
  const skipped = skippedRows.map((r) => `${r.n} skipped: ${r.reason || 'no reason recorded'}`);
  add(
    'outbox: every row marked sent was delivered by the fake WeChat exactly once, none failed',
    mismatched.length === 0 && failed === 0,
    [`${totalSent} sent, ${totalDelivered} delivered, ${failed} failed`, ...skipped, `${mismatched.length} openids differ`].join('; ') +
      (mismatched.length ? ` (${mismatched.slice(0, 3).map((o) => `${o}: ${sentByOpenid.get(o) ?? 0} sent, ${delivered.get(o) ?? 0} delivered`).join('; ')})` : ''),
  );
  return { checks, outbox };
}
