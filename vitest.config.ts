import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `server-only` throws unless resolved as React Server Components resolve it (the `react-server`
// condition, an empty module). Tests run server code outside Next, so they get that entry.
const serverOnly = path.join(path.dirname(createRequire(import.meta.url).resolve('server-only')), 'empty.js');

const testFiles = ['lib/**/*.test.ts', 'db/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'];

/**
 * Files that need a process of their own: they replace modules (vi.mock), stub the environment or
 * globals, fake timers, or open the process's one database (db/client.ts getDatabase). Every other
 * file shares its worker's process and module cache with the files before it (isolate: false), which
 * skips loading Drizzle, PGlite and the app's modules again for each file: the run took 175 s with
 * every file isolated and 124 s this way (2 cores, Postgres too).
 */
const isolated = ['lib', 'db', 'tests/unit', 'tests/integration']
  .flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => path.join(dir, file)))
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(|\bgetDatabase\(/.test(fs.readFileSync(file, 'utf8')));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: serverOnly },
      { find: '@', replacement: fileURLToPath(new URL('./', import.meta.url)) },
    ],
  },
  test: {
    environment: 'node',
    // One migrated database of each kind per run; suites open copies of it (tests/integration/databases.ts).
    globalSetup: ['tests/integration/template-databases.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration suites each open their own databases; files run in parallel workers. Three on this
    // 2-core machine, since much of a suite's time is spent waiting on a database or a timer: the whole
    // run once took 552 s with vitest's default (one worker here) and 335 s with three. Measured again
    // since (94 files, Postgres too, the console's build included): three 124-140 s, two 133 s; both
    // cores stay busy throughout, so more workers would only queue.
    pool: 'forks',
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'shared', include: testFiles, exclude: isolated, isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolated, isolate: true } },
    ],
  },
});
