// The end-to-end server's embedded database folder: one per run, made before Playwright starts and
// removed when it ends, passed or failed (each run's PGlite folder is about 20 MB).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** playwright.config.ts reads the folder from here; its worker processes inherit it. */
export const E2E_DATA_DIR_VARIABLE = 'WEKF_E2E_DATA_DIR';

export function createE2eDataDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-e2e-'));
}

/** Removes the folder; throws when something is left. */
export function removeE2eDataDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  if (fs.existsSync(dir)) throw new Error(`could not remove ${dir}`);
}

/**
 * Runs `run(dir)` with a fresh folder named in the environment, and removes the folder afterwards
 * whatever happened. Returns what `run` returned.
 */
export async function withE2eDataDir(run) {
  const dir = createE2eDataDir();
  const previous = process.env[E2E_DATA_DIR_VARIABLE];
  process.env[E2E_DATA_DIR_VARIABLE] = dir;
  try {
    return await run(dir);
  } finally {
    if (previous === undefined) delete process.env[E2E_DATA_DIR_VARIABLE];
    else process.env[E2E_DATA_DIR_VARIABLE] = previous;
    removeE2eDataDir(dir);
  }
}
