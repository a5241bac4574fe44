// Bundles the outbox worker (lib/outbox/worker.ts) into one plain JavaScript file beside the console's
// build. The worker thread then loads it without a TypeScript loader, which on Node 20 would start a
// loader thread of its own (tens of MB); packages stay external and load from node_modules.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const outboxWorkerFile = path.join(root, '.next', 'wekf', 'outbox-worker.mjs');

export async function buildOutboxWorker(outfile = outboxWorkerFile) {
  // Loaded here, not at the top: build-if-needed.mjs imports this module for the path alone.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'lib', 'outbox', 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
}

// `node scripts/build-outbox-worker.mjs [outfile]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildOutboxWorker(process.argv[2]);
