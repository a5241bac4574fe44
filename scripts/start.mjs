// npm start — build when there is no current build, then run the production server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, root } from './build-if-needed.mjs';

ensureBuild({ force: process.argv.includes('--rebuild') });

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});
// A process manager signals this wrapper; the server must hear it to shut down gracefully.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
