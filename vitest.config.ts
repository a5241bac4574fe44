import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `server-only` throws unless resolved as React Server Components resolve it (the `react-server`
// condition, an empty module). Tests run server code outside Next, so they get that entry.
const serverOnly = path.join(path.dirname(createRequire(import.meta.url).resolve('server-only')), 'empty.js');

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: serverOnly },
      { find: '@', replacement: fileURLToPath(new URL('./', import.meta.url)) },
    ],
  },
  test: {
    include: ['lib/**/*.test.ts', 'db/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // One migrated database of each kind per run; suites open copies of it (tests/integration/databases.ts).
    globalSetup: ['tests/integration/template-databases.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration suites each open their own databases; files run in parallel workers. Three on this
    // 2-core machine, since most of a suite's time is spent waiting on a database or a timer: the whole
    // run took 552 s with vitest's default (one worker here) and 335 s with three, all passing.
    pool: 'forks',
    maxWorkers: 3,
  },
});
