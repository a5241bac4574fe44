// npm test's first step: `node scripts/run-together.mjs typecheck lint` runs those npm scripts at the
// same time: neither needs the other, and each keeps one core busy (from a clean clone, as in CI, one
// after the other took 24 s and together 20 s on the 2-core machine). Each one's output is printed
// whole when it ends, so the two never interleave; the exit code is non-zero when either failed.
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
