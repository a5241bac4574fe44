// npm start — build when there is no current build, then run the production server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuild, root } from './build-if-needed.mjs';
import { serverBundleFile } from './bundle-server.mjs';
import { serverNodeFlags } from './server-flags.mjs';

ensureBuild({ force: process.argv.includes('--rebuild') });

// What the server will see: the environment, then a .env file beside it (server.ts reads it the
// same way), to know whether it will run on embedded PGlite.
const envFile = path.join(root, '.env');
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
const embedded = !process.env.DATABASE_URL;

const server = spawn(process.execPath, [...serverNodeFlags({ embedded }), serverBundleFile], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});
// A process manager signals this wrapper; the server must hear it to shut down gracefully.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
