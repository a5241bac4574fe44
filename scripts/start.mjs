// npm start — build when there is no current build, then run the production server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, root } from './build-if-needed.mjs';
import { serverBundleFile } from './bundle-server.mjs';
import { serverEnv, serverNodeFlags } from './server-flags.mjs';

ensureBuild({ force: process.argv.includes('--rebuild') });

// What the server will see: the environment, then a .env file beside it (server.ts reads it the
// same way), to know whether it will run on embedded PGlite.
const envFile = path.join(root, '.env');
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
const embedded = !process.env.DATABASE_URL;

const server = spawn(process.execPath, [...serverNodeFlags({ embedded }), serverBundleFile], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...serverEnv({ embedded }), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});

// A process manager signals this wrapper; the server must hear it to shut down gracefully.
let stopping = false;
function stopServer(signal) {
  stopping = true;
  if (server.exitCode === null && server.signalCode === null) server.kill(signal);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stopServer(signal));

// `npm start` runs this under `sh -c`. A SIGTERM to npm reaches the shell, which dies without
// passing it on, and leaves this wrapper (and the server) running with no parent; so a changed
// parent counts as a SIGTERM too.
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (!stopping && process.ppid !== parent) stopServer('SIGTERM');
}, 250);

server.on('exit', (code, signal) => {
  clearInterval(orphanWatch);
  // A server killed by a signal exits like a shell reports it: 128 + the signal's number.
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
});
