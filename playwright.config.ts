import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with the pretest script
import { findChromium } from './scripts/chromium-path.mjs';
import { createE2eDataDir, E2E_DATA_DIR_VARIABLE, removeE2eDataDir } from './scripts/e2e-data-dir.mjs';

// E2E_PORT lets two runs share a machine (each worktree or CI job its own port): a run uses it and
// the three ports after it.
const port = Number(process.env.E2E_PORT ?? 3210);
// A fresh embedded database for every run: tests seed their own users through the console.
export const dataDir = e2eDataDir();

/**
 * Two production servers, each with its own data folder and fake WeChat, each running its share of
 * the spec files one test at a time, in file order, as one server ran them all before: a test sees
 * only what the files before it on its server left. Most of a test's time is spent waiting on the
 * browser and the server, so two side by side take about half as long on 2 cores.
 * Server 'a' runs the files listed here; 'b' runs every other file (a new spec file lands there).
 * E2E_SERVERS=1 runs every file on one server, for a machine busy with other work.
 */
const serverA = ['account', 'agents', 'auth', 'live'].map((name) => `${name}.spec.ts`);
const servers = (
  process.env.E2E_SERVERS === '1'
    ? [{ name: 'a', port, files: {} }]
    : [
        { name: 'a', port, files: { testMatch: serverA } },
        { name: 'b', port: port + 2, files: { testIgnore: serverA } },
      ]
).map((server) => ({ ...server, dataDir: path.join(dataDir, server.name) }));

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
  // One worker per server (each project's `workers: 1`).
  workers: servers.length,
  retries: 0,
  reporter: process.env.CI ? 'list' : 'line',
  timeout: 30_000,
  use: {
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
  projects: servers.map((server) => ({
    name: `server ${server.name}`,
    ...server.files,
    workers: 1,
    use: { baseURL: `http://127.0.0.1:${server.port}` },
    // tests/e2e/helpers.ts serverDataDir reads it.
    metadata: { dataDir: server.dataDir },
  })),
  webServer: servers.map((server) => ({
    // The production server as `npm start` runs it: the bundle scripts/e2e.mjs built.
    command: `node .next/wekf/server.mjs`,
    url: `http://127.0.0.1:${server.port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      NODE_ENV: 'production',
      PORT: String(server.port),
      HOST: '127.0.0.1',
      WEKF_DATA_DIR: server.dataDir,
      ADMIN_EMAIL: e2eAdmin.email,
      ADMIN_PASSWORD: e2eAdmin.password,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // The port after the server's, so tests can play WeChat's side through the fake's control
      // API (tests/e2e/helpers.ts simUrl).
      SANDBOX_WECHAT_PORT: String(server.port + 1),
      // As behind one proxy: requests without X-Forwarded-For keep the socket's address, and
      // sign-in-throttle.spec.ts plays what the proxy forwards.
      TRUST_PROXY: 'true',
      // Followers are queued whatever the hour the suite runs (live.spec.ts).
      SERVICE_HOURS: '00:00-24:00',
    },
  })),
});
