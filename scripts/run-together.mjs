// npm test's second step: `node scripts/run-together.mjs test:e2e typecheck lint` runs those npm
// scripts at the same time: none needs another. Run first and on their own the type check and lint
// took 20 s of npm test, two busy processes on the 2 cores; beside the end-to-end run they share the
// cores with it (one browser and one server keep both cores busy most of the time, vmstat 2026-12-07).
// Vitest runs before them, alone: it keeps both cores busy. Each one's output is printed whole when
// it ends, so they never interleave; the exit code is non-zero when any failed.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
const npm = process.env.npm_execpath;

const results = await Promise.all(
  scripts.map(
    (name) =>
      new Promise((resolve) => {
        // Through npm itself (npm_execpath when npm started us), so each runs as `npm run <name>` would.
        const child = npm ? spawn(process.execPath, [npm, 'run', '--silent', name]) : spawn('npm', ['run', '--silent', name]);
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('close', (code, signal) => {
          const status = code ?? (signal ? 1 : 0);
          process.stdout.write(`\n> npm run ${name}: ${status === 0 ? 'passed' : `FAILED (exit ${status})`}\n`);
          process.stdout.write(Buffer.concat(output));
          resolve(status);
        });
      }),
  ),
);
process.exit(results.some((status) => status !== 0) ? 1 : 0);
