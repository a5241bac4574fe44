import fs from 'node:fs';
import { defineConfig } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with the pretest script
import { findChromium } from './scripts/chromium-path.mjs';
import { createE2eDataDir, E2E_DATA_DIR_VARIABLE, removeE2eDataDir } from './scripts/e2e-data-dir.mjs';

// E2E_PORT lets two runs share a machine (each worktree or CI job its own port).
const port = Number(process.env.E2E_PORT ?? 3210);
// A fresh embedded database for every run: tests seed their own users through the console.
export const dataDir = e2eDataDir();

/**
 * npm run test:e2e (scripts/e2e.mjs) makes the folder and removes it afterwards. Run directly,
 * Playwright loads this file in its runner and again in each worker: the runner makes the folder,
 * the workers inherit its name, and the runner removes it as it exits (after stopping the server).
 */
function e2eDataDir(): string {
  const given = process.env[E2E_DATA_DIR_VARIABLE];
  if (given) return given;
  const made = createE2eDataDir();
  process.env[E2E_DATA_DIR_VARIABLE] = made;
  process.on('exit', () => {
    if (fs.existsSync(made)) removeE2eDataDir(made);
  });
  return made;
}

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
      // The port after the console's, so tests can play WeChat's side through the fake's control
      // API (tests/e2e/helpers.ts simUrl); each worktree's E2E_PORT gives it a fake of its own.
      SANDBOX_WECHAT_PORT: String(port + 1),
      // As behind one proxy: requests without X-Forwarded-For keep the socket's address, and
      // sign-in-throttle.spec.ts plays what the proxy forwards.
      TRUST_PROXY: 'true',
      // Followers are queued whatever the hour the suite runs (live.spec.ts).
      SERVICE_HOURS: '00:00-24:00',
    },
  },
});
