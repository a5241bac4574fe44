// Start and stop the real wekf process for the bench: the production bundle of server.ts
// (.next/wekf/server.mjs), as `npm start` runs it. Its stdout and stderr go to a log file, so a
// failure can be read afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { serverBundleFile } from '../scripts/bundle-server.mjs';
import { serverEnv, serverNodeFlags } from '../scripts/server-flags.mjs';

export interface ServerProcess {
  pid: number;
  port: number;
  url: string;
  logFile: string;
  /** SIGTERM (graceful: in-flight requests finish, the database closes), then wait for exit. */
  stop(): Promise<number | null>;
  exited(): boolean;
}

/** The customer-service settings every bench process runs with: keywords queue at any hour, so results do not depend on the time of day. */
export const BENCH_KF_ENV = { SERVICE_HOURS: '00:00-24:00', SERVICE_TIMEZONE: 'Asia/Shanghai', KF_KEYWORDS: '客服' } as const;

/** Known, so the live-path case can mint a session cookie for the bench's admin (bench/live-clients.ts). */
export const BENCH_AUTH_SECRET = 'bench-auth-secret-0123456789abcdef0123456789';

export interface ServerOptions {
  root: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  wechat: { appId: string; appSecret: string; token: string; apiBase: string };
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** --ab: the file bench/ab-switch.ts reads in the server. */
  abSwitchFile?: string;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    WEKF_DATA_DIR: opts.dataDir,
    // Set even when empty: an empty value is "unset" to wekf, and a .env file cannot fill it in.
    DATABASE_URL: opts.databaseUrl ?? '',
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-not-secret',
    AUTH_SECRET: BENCH_AUTH_SECRET,
    // debug, for each of the embedded database's upkeep rounds (the report's pause target); nothing
    // per request logs at debug but a client hanging up mid-request.
    LOG_LEVEL: 'debug',
    WECHAT_APP_ID: opts.wechat.appId,
    WECHAT_APP_SECRET: opts.wechat.appSecret,
    WECHAT_TOKEN: opts.wechat.token,
    WECHAT_ENCODING_AES_KEY: '',
    WECHAT_API_BASE: opts.wechat.apiBase,
    // WECHAT_MAX_SKEW_SECONDS is left at its default (300 s), as a deployment runs: both loaders sign
    // each message as they send it (bench/wrk.lua, bench/autocannon-worker.ts), so every push is fresh,
    // and PGlite's in-memory replay store holds what it would in production, five minutes of pushes.
    ...BENCH_KF_ENV,
    ...(opts.abSwitchFile ? { WEKF_AB_FILE: opts.abSwitchFile } : {}),
    ...serverEnv({ embedded: !opts.databaseUrl }, {}),
  };
  const log = fs.openSync(opts.logFile, 'a');
  const flags = serverNodeFlags({ embedded: !opts.databaseUrl });
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...flags, serverBundleFile], {
    cwd: opts.root,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve(exitCode);
    });
  });
  if (child.pid === undefined) throw new Error('could not start the server');
  const url = `http://127.0.0.1:${opts.port}`;
  const server: ServerProcess = {
    pid: child.pid,
    port: opts.port,
    url,
    logFile: opts.logFile,
    exited: () => exitCode !== undefined,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
  await waitHealthy(server, 120_000);
  return server;
}

async function waitHealthy(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`the server exited during start-up; see ${server.logFile}`);
    try {
      const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`the server was not healthy within ${timeoutMs / 1000} s; see ${server.logFile}`);
}
