import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createE2eDataDir, E2E_DATA_DIR_VARIABLE, removeE2eDataDir, withE2eDataDir } from '../../scripts/e2e-data-dir.mjs';

// Each end-to-end run used to leave two /tmp/wekf-e2e-* folders (39 MB) behind.
describe('the end-to-end data folder', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is removed after a run that fails, with what the server wrote in it', async () => {
    let seen = '';
    const status = await withE2eDataDir((dir) => {
      seen = dir;
      expect(process.env[E2E_DATA_DIR_VARIABLE]).toBe(dir);
      const child = spawnSync(process.execPath, ['-e', `require('fs').mkdirSync(${JSON.stringify(path.join(dir, 'pglite', 'base'))}, { recursive: true }); process.exit(1)`]);
      return child.status;
    });
    expect(status).toBe(1);
    expect(seen).toMatch(/wekf-e2e-/);
    expect(fs.existsSync(seen)).toBe(false);
    expect(process.env[E2E_DATA_DIR_VARIABLE]).toBeUndefined();
  });

  it('is removed when the run throws', async () => {
    let seen = '';
    await expect(
      withE2eDataDir((dir) => {
        seen = dir;
        throw new Error('playwright crashed');
      }),
    ).rejects.toThrow('playwright crashed');
    expect(fs.existsSync(seen)).toBe(false);
  });

  it('is the one Playwright’s config gives the server, not a second one of its own', async () => {
    const dir = createE2eDataDir();
    try {
      vi.stubEnv(E2E_DATA_DIR_VARIABLE, dir);
      const config = await import('../../playwright.config');
      expect(config.dataDir).toBe(dir);
      const webServer = config.default.webServer;
      expect(Array.isArray(webServer) ? undefined : webServer?.env?.WEKF_DATA_DIR).toBe(dir);
    } finally {
      removeE2eDataDir(dir);
    }
  });
});
