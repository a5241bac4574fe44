// The audit page's queries on a large audit log: how long one page takes, first and deep (keyset),
// unfiltered and filtered by person, kind and date, with the plan of the deep page.
//
//   npx tsx --import ./scripts/server-only-register.mjs bench/audit.ts [--rows 1000000] [--url postgres://…]
//
// With --url (a server; a scratch database is created on it and dropped after), else embedded PGlite.
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import type { DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/engines/pglite';
import { openPostgres } from '@/db/engines/postgres';
import { migrateDatabase } from '@/db/migrate';
import { listAuditPage, type AuditCursor, type AuditFilter } from '@/db/queries/audit-log';
import { rawExecutor } from '@/db/queries/raw';

const { values } = parseArgs({ options: { rows: { type: 'string' }, url: { type: 'string' }, runs: { type: 'string', default: '30' } } });
const url = values.url;
const rows = Number(values.rows ?? (url ? 1_000_000 : 200_000));
const runs = Number(values.runs);

async function open(): Promise<{ handle: DatabaseHandle; done(): Promise<void> }> {
  if (!url) {
    const handle = await openPglite(undefined);
    await migrateDatabase(handle);
    return { handle, done: () => handle.close() };
  }
  const name = `wekf_bench_audit_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openPostgres(target.toString(), { max: 4 });
  await migrateDatabase(handle);
  return {
    handle,
    async done() {
      await handle.close();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

const KINDS = ['auth.sign_in', 'auth.sign_in_failed', 'user.role', 'settings.hours', 'settings.templates', 'agent.invite', 'live.close', 'export.sessions'];

async function seed(handle: DatabaseHandle): Promise<void> {
  const raw = rawExecutor(handle);
  await raw.query(
    `insert into users (email, name, password_hash, role) select 'u' || i || '@bench.test', 'user ' || i, 'x', 'operator' from generate_series(1, 20) i`,
    [],
  );
  // Sign-ins dominate real traffic; settings saves are rare. One row a minute, newest now.
  const weights = `case when i % 100 < 70 then 1 when i % 100 < 85 then 2 when i % 100 < 99 then 6 else 4 end`;
  const chunk = 200_000;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await raw.query(
      `insert into audit_log (user_id, action, target, ip, created_at, changes)
       select (select id from users order by id offset (i % 20) limit 1),
              (array['${KINDS.join("','")}'])[${weights}],
              'target ' || i, '10.0.' || (i % 250) || '.' || (i % 200),
              now() - make_interval(mins => ${rows} - i),
              case when i % 100 = 99 then '{"before":{"hours":{}},"after":{"hours":{}}}'::jsonb end
       from generate_series(${from}, ${to}) i`,
      [],
    );
  }
  await raw.query('analyze audit_log', []);
}

async function time(label: string, run: () => Promise<unknown[]>): Promise<void> {
  const ms: number[] = [];
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    n = (await run()).length;
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  console.log(`${label.padEnd(58)} rows ${String(n).padStart(3)}  median ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms`);
}

async function main() {
  const { handle, done } = await open();
  try {
    const seeded = performance.now();
    await seed(handle);
    console.log(`${handle.kind}: ${rows.toLocaleString('en')} audit rows seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs each, pages of 51 (50 + one to know an older page exists)\n`);
    const db = handle.db;
    const page = (filter: AuditFilter, cursor?: AuditCursor) => () => listAuditPage(db, { ...filter, cursor, limit: 51 });
    const middle = (await listAuditPage(db, { limit: 1, cursor: undefined, until: new Date(Date.now() - (rows / 2) * 60_000) }))[0]!;
    const deep = { at: middle.cursorAt, id: middle.id };
    const firstUser = (await listAuditPage(db, { limit: 1 }))[0]!.userId!;
    const lastWeek = { from: new Date(Date.now() - 14 * 86_400_000), until: new Date(Date.now() - 7 * 86_400_000) };

    await time('first page, no filter', page({}));
    await time(`deep page (keyset, ${(rows / 2).toLocaleString('en')} rows back)`, page({}, deep));
    await time('first page, one person', page({ userId: firstUser }));
    await time('deep page, one person', page({ userId: firstUser }, deep));
    await time('first page, kind "settings" (1% of rows)', page({ kind: 'settings' }));
    await time('deep page, kind "settings"', page({ kind: 'settings' }, deep));
    await time('a week two weeks ago', page(lastWeek));
    await time('kind "settings" and one person', page({ kind: 'settings', userId: firstUser }));

    const plan = await rawExecutor(handle).query<Record<string, string>>(
      `explain (analyze, costs off, timing off, summary off)
       select id from audit_log where kind = 'settings' and (created_at, id) < ($1::timestamptz, $2) order by created_at desc, id desc limit 51`,
      [deep.at, deep.id],
    );
    console.log('\nplan of the deep page filtered by kind:');
    for (const line of plan) console.log(`  ${Object.values(line)[0]}`);
  } finally {
    await done();
  }
}

await main();
