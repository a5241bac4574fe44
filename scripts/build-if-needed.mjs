// Build the console when there is no current build (npm start and the end-to-end tests).
// "Current" means built from exactly these sources: a fingerprint of them is kept beside the build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { outboxWorkerFile, pgliteWorkerFile, serverBundleFile } from './bundle-server.mjs';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const fingerprintFile = path.join(root, '.next', 'wekf-source-fingerprint');
const sourceRoots = ['server.ts', 'proxy.ts', 'app', 'components', 'lib', 'db', 'public', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

function* walk(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isFile()) {
    yield entry;
    return;
  }
  for (const name of fs.readdirSync(full).sort()) yield* walk(path.join(entry, name));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const top of sourceRoots) {
    for (const file of walk(top)) {
      if (/\.test\.tsx?$/.test(file)) continue;
      hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Runs `next build` unless .next was built from exactly these sources. Exits the process on failure. */
export function ensureBuild({ force = false } = {}) {
  const wanted = fingerprint();
  const current = fs.existsSync(path.join(root, '.next', 'BUILD_ID')) && fs.existsSync(fingerprintFile)
    ? fs.readFileSync(fingerprintFile, 'utf8')
    : '';
  if (current !== wanted || force) {
    process.stdout.write('wekf: building the console (first start or changed sources)…\n');
    const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) {
      process.stderr.write('wekf: the build failed; see above.\n');
      process.exit(build.status ?? 1);
    }
    fs.writeFileSync(fingerprintFile, wanted);
  }
  // next build empties .next, so the server and its workers are bundled after it (and whenever a
  // bundle is missing).
  const bundles = [serverBundleFile, outboxWorkerFile, pgliteWorkerFile];
  if (current !== wanted || force || !bundles.every((file) => fs.existsSync(file))) {
    const bundle = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle-server.mjs')], { cwd: root, stdio: 'inherit' });
    if (bundle.status !== 0) {
      process.stderr.write('wekf: bundling the server failed; see above.\n');
      process.exit(bundle.status ?? 1);
    }
  }
}
