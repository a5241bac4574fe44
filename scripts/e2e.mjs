// npm run test:e2e — build when needed, then run Playwright against the production server.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, root } from './build-if-needed.mjs';

ensureBuild();
const run = spawnSync(process.execPath, [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
