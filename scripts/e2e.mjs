// npm run test:e2e — build when needed, then run Playwright against the production server, with a
// fresh data folder that is removed when the run ends, passed or failed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, root } from './build-if-needed.mjs';
import { withE2eDataDir } from './e2e-data-dir.mjs';

ensureBuild();
const status = await withE2eDataDir(
  () =>
    new Promise((resolve) => {
      const run = spawn(process.execPath, [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)], {
        cwd: root,
        stdio: 'inherit',
      });
      // Ctrl-C or a CI timeout: let Playwright stop its server first, then the folder goes too.
      for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => run.kill(signal));
      run.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    }),
);
process.exit(status);
