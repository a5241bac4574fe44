import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with the pretest script
import { findChromium } from './scripts/chromium-path.mjs';

// E2E_PORT lets two runs share a machine (each worktree or CI job its own port).
const port = Number(process.env.E2E_PORT ?? 3210);
// A fresh embedded database for every run: tests seed their own users through the console.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-e2e-'));

export const e2eAdmin = { email: 'admin@e2e.test', password: 'e2e-admin-password' };

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'list' : 'line',
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    launchOptions: {
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // The production server as `npm start` runs it: the bundle scripts/e2e.mjs built.
    command: `node .next/wekf/server.mjs`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      WEKF_DATA_DIR: dataDir,
      ADMIN_EMAIL: e2eAdmin.email,
      ADMIN_PASSWORD: e2eAdmin.password,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  },
});
