// Bundles the production server (server.ts), its outbox worker (lib/outbox/worker.ts) and PGlite's
// thread (db/engines/pglite-thread-worker.ts) into plain JavaScript beside the console's build,
// .next/wekf/. Node then runs them without a TypeScript loader: on Node 20, tsx runs its hooks on a
// loader thread of its own in every thread that loads it, and keeps what it compiled, which cost the
// server about 100 MB and the worker as much again.
// Packages stay external and load from node_modules, except `server-only`: it throws unless resolved
// as a React Server Components build resolves it, so the bundle gets its empty entry instead.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundleDir = path.join(root, '.next', 'wekf');
export const serverBundleFile = path.join(bundleDir, 'server.mjs');
export const outboxWorkerFile = path.join(bundleDir, 'outbox-worker.mjs');
export const pgliteWorkerFile = path.join(bundleDir, 'pglite-worker.mjs');

const entryPoints = {
  server: path.join(root, 'server.ts'),
  'outbox-worker': path.join(root, 'lib', 'outbox', 'worker.ts'),
  'pglite-worker': path.join(root, 'db', 'engines', 'pglite-thread-worker.ts'),
};

/** Bundles every entry point into `outdir`, or only the one named (the tests bundle PGlite's thread alone). */
export async function bundleServer(outdir = bundleDir, { only } = {}) {
  // Loaded here, not at the top: build-if-needed.mjs imports this module for the paths alone.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: only ? { [only]: entryPoints[only] } : entryPoints,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
    plugins: [serverOnlyAsInServerComponents],
  });
}

/** `import 'server-only'` marks modules the browser must not load; here, on the server, it is a no-op. */
const serverOnlyAsInServerComponents = {
  name: 'server-only',
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'server-only' }));
    build.onLoad({ filter: /.*/, namespace: 'server-only' }, () => ({ contents: '', loader: 'js' }));
  },
};

// `node scripts/bundle-server.mjs [outdir]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundleServer(process.argv[2]);
