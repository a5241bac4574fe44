// npx tsx --import ./scripts/server-only-register.mjs bench/upkeep-pause.ts <pglite folder>
//
// How long PGlite's upkeep (db/queries/maintenance.ts) holds its single thread, table by table, on
// a database a load left behind (`npm run bench -- --db pglite --duration 300 --keep`). PGlite runs
// in the server's thread, so each statement's time is a pause for every request. The folder is
// copied first, so the same state can be measured again; each run times the upkeep twice: the
// first as it would come after the load, the second with nothing changed since.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../db/engines/pglite';
import { upkeepStatements } from '../db/queries/maintenance';

const source = process.argv[2];
if (!source || !fs.existsSync(source)) {
  console.error('usage: bench/upkeep-pause.ts <pglite folder kept by npm run bench -- --db pglite --keep>');
  process.exit(2);
}
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-upkeep-'));
fs.cpSync(source, copy, { recursive: true });
fs.rmSync(path.join(copy, 'wekf.lock'), { force: true });
const database = await openPglite(copy);
try {
  const sizes = await database.pglite!.query<{ relname: string; n_live_tup: number; n_dead_tup: number }>(
    `select relname, n_live_tup::int, n_dead_tup::int from pg_stat_user_tables order by n_live_tup desc limit 8`,
  );
  console.log('tables:', sizes.rows.map((r) => `${r.relname} ${r.n_live_tup} live / ${r.n_dead_tup} dead`).join(', '));
  for (const pass of ['after the load', 'nothing changed since']) {
    let longest = 0;
    const parts: string[] = [];
    for (const statement of upkeepStatements()) {
      const started = performance.now();
      await database.pglite!.exec(statement);
      const ms = performance.now() - started;
      longest = Math.max(longest, ms);
      parts.push(`${statement} ${ms.toFixed(0)} ms`);
    }
    console.log(`${pass}: longest pause ${longest.toFixed(0)} ms\n  ${parts.join('\n  ')}`);
  }
} finally {
  await database.close();
  fs.rmSync(copy, { recursive: true, force: true });
}
