// The wekf process: one HTTP listener. /api/wechat goes to the webhook fast path (a plain function,
// ~10x the throughput of a Next route handler); everything else goes to Next.js.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { closeDatabase, currentDatabase, DatabaseError, getDatabase } from './db/client';
import { vacuumWarnings } from './db/queries/maintenance';
import { ensureFirstAdmin } from './lib/auth/bootstrap';
import { clientAddress } from './lib/auth/client-address';
import { CLIENT_IP_HEADER } from './lib/auth/options';
import { authSecret } from './lib/auth/secret';
import { env, EnvError, type Env } from './lib/env';
import { createWechatRuntime, outboxThreadFor } from './lib/kf/runtime';
import { errorText, log } from './lib/log';
import { startSandboxWechat } from './lib/sandbox';
import { withPrivateDataDir } from './lib/server/data-dir';
import { closeGracefully } from './lib/server/graceful';
import { createHttpServer } from './lib/server/http-server';
import { listenOn, PortError, probePort } from './lib/server/listen';
import { projectRoot } from './lib/server/project-root';
import { answerStarting } from './lib/server/starting';
import { setSecurityHeaders, settleForwardedHeaders } from './lib/server/security-headers';
import { endLiveStreams } from './lib/live/sse';
import { LIVE_PATH, serveLive } from './lib/server/live-http';
import { serveWebhook } from './lib/server/webhook-http';
import { accountFromEnv, publishWechatAccount } from './lib/wechat-account/account';

const WEBHOOK_PATH = '/api/wechat';
const serverLog = log.child({ module: 'server' });
/** Where the sandbox's fake WeChat listens (lib/wechat-sim's default host). */
const SANDBOX_WECHAT_HOST = '127.0.0.1';

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');

  // Listen before anything else: a port in use must stop the start before it opens a database,
  // creates the first admin or prints a password. Until start-up is done every request gets a 503.
  let handle: http.RequestListener = answerStarting;
  const server = createHttpServer((req, res) => handle(req, res), {
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
  });
  await listenOn(server, { port: config.PORT, host: config.HOST, variable: 'PORT' });
  if (config.sandbox && config.SANDBOX_WECHAT_PORT !== 0) {
    // The fake WeChat listens later, in the runtime.
    await probePort({ port: config.SANDBOX_WECHAT_PORT, host: SANDBOX_WECHAT_HOST, variable: 'SANDBOX_WECHAT_PORT' });
  }

  const dir = projectRoot();
  // The workers the production build bundles beside this server (scripts/bundle-server.mjs); in
  // development PGlite and the outbox dispatcher run on this thread.
  const bundled = (file: string) => (dev ? undefined : path.join(dir, '.next', 'wekf', file));
  // Password hashes and the generated secret live in the data folder: private before anything is written.
  const database = await withPrivateDataDir(config.dataDir, () =>
    getDatabase({
      url: config.DATABASE_URL,
      dataDir: path.join(config.dataDir),
      pgliteThreadFile: config.DATABASE_URL ? undefined : pgliteThreadFile(bundled('pglite-worker.mjs')),
    }),
  );
  serverLog.info({ db: database.description, mode: config.sandbox ? 'sandbox' : 'live' }, 'database ready');
  // Not a reason to stop: said once, where the operator reads the start.
  void vacuumWarnings(database).then(
    (warnings) => warnings.forEach((warning) => serverLog.warn(warning)),
    (error: unknown) => serverLog.warn({ err: errorText(error) }, 'could not check that Postgres vacuums wekf\'s tables'),
  );

  const admin = await ensureFirstAdmin(database.db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  if (admin.created) announceFirstAdmin(admin.email, admin.generatedPassword);
  authSecret(); // create the generated secret now, before two module graphs race for it
  // The account as plain data, for this process's runtime and for the console (which builds its own
  // API client from it); in sandbox mode, the fake WeChat started here.
  const sandbox = config.sandbox
    ? await startSandboxWechat({
        dataDir: config.dataDir,
        webhookUrl: `http://127.0.0.1:${config.PORT}${WEBHOOK_PATH}`,
        port: config.SANDBOX_WECHAT_PORT,
      })
    : undefined;
  const account = sandbox ? sandbox.account : accountFromEnv(config);
  publishWechatAccount(account);
  const runtime = createWechatRuntime({
    account,
    database: currentDatabase,
    maxSkewSeconds: config.WECHAT_MAX_SKEW_SECONDS,
    agentSyncMinutes: config.AGENT_SYNC_MINUTES,
    pushRetentionDays: config.PUSH_RETENTION_DAYS,
    outboxThread: outboxThreadFor(config, database, bundled('outbox-worker.mjs')),
  });

  // next-auth derives its own URL from the Host header only when told to trust it.
  process.env.AUTH_TRUST_HOST = 'true';
  const app = next({ dev, dir, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  // The first keyword after a start must find the account's agents: wait (a few seconds at most)
  // for the first sync before answering anything.
  await runtime.agentsReady;

  handle = (req, res) => {
    setSecurityHeaders(req, res, { trustedProxies: config.TRUST_PROXY, forceHttps: config.FORCE_HTTPS });
    settleForwardedHeaders(req, { trustedProxies: config.TRUST_PROXY, forceHttps: config.FORCE_HTTPS });
    stampClientIp(req, config.TRUST_PROXY);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === WEBHOOK_PATH) {
      void serveWebhook(runtime.webhook, req, res, url.searchParams);
      return;
    }
    if (url.pathname === LIVE_PATH) {
      serveLive(req, res, currentDatabase).catch((error: unknown) => failed(error, req, res));
      return;
    }
    handleNext(req, res).catch((error: unknown) => failed(error, req, res));
  };
  serverLog.info({ port: config.PORT, sandboxWechat: sandbox?.account.apiBase }, `wekf listening on http://localhost:${config.PORT}`);
  announceReady(config, sandbox?.account.apiBase);

  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    serverLog.info({ signal }, 'shutting down');
    const closing = closeGracefully(server, 10_000);
    // Open live pages hold their connection all day: end them now rather than after the grace period.
    endLiveStreams();
    await closing;
    await runtime.stop();
    await sandbox?.close();
    await app.close?.();
    await closeDatabase();
    serverLog.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // PGlite's thread crashed: every request that needs the database would fail from now on, and only a
  // new start reopens its folder. Stopping says so once and lets the process manager start wekf again.
  void database.lost?.then((reason) => {
    serverLog.error({ reason }, 'the embedded database stopped; wekf stops too (exit code 1), for its process manager to start it again');
    void stop('embedded database lost', 1);
  });
}

/** PGlite's own thread (db/engines/pglite-thread.ts) when the build made its worker; else PGlite runs on this thread. */
function pgliteThreadFile(file: string | undefined): string | undefined {
  if (file === undefined || fs.existsSync(file)) return file;
  serverLog.warn({ file }, 'PGlite worker not built; the embedded database runs on the server thread');
  return undefined;
}

function failed(error: unknown, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (clientHungUp(error, req, res)) {
    serverLog.debug({ code: (error as NodeJS.ErrnoException).code }, 'client hung up mid-request');
    return;
  }
  serverLog.error({ err: errorText(error) }, 'request failed');
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('internal error');
}


/**
 * Sign-in throttling needs the caller's IP: with TRUST_PROXY=N, the N-th X-Forwarded-For entry from
 * the right (the part our own proxies wrote), else the socket's peer. Overwrites any value sent.
 */
function stampClientIp(req: http.IncomingMessage, proxies: number): void {
  req.headers[CLIENT_IP_HEADER] = clientAddress({
    forwardedFor: req.headers['x-forwarded-for'],
    remoteAddress: req.socket.remoteAddress,
    proxies,
  });
}

/**
 * A browser that closed the tab or lost its network mid-request is not a server fault. (Not
 * req.destroyed: that is true of every request whose body has been read; nor res.destroyed alone:
 * a finished response's socket may be gone too.)
 */
function clientHungUp(error: unknown, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (
    (res.destroyed && !res.writableFinished) ||
    req.aborted ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

function loadConfig(): Env {
  // env() also reads a .env file beside the server, when present (lib/env.ts).
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) fail(`configuration error: ${error.message}`);
    throw error;
  }
}

function announceFirstAdmin(email: string, generatedPassword: string | undefined): void {
  // Printed straight to the terminal (not the log), once: the only time this password is shown.
  const lines = generatedPassword
    ? [`First admin created: ${email}`, `Password: ${generatedPassword}`, 'Sign in and change it on the My account page (/account).']
    : [`First admin created from ADMIN_EMAIL: ${email}`];
  printLines(lines);
}

function announceReady(config: Env, sandboxWechatUrl: string | undefined): void {
  const lines = [`wekf is running at http://localhost:${config.PORT}`];
  if (sandboxWechatUrl) lines.push(`Sandbox mode: the fake WeChat is at ${sandboxWechatUrl} (set SANDBOX_WECHAT_PORT to move it)`);
  printLines(lines);
}

function printLines(lines: string[]): void {
  process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}

function fail(message: string): never {
  process.stderr.write(`wekf: ${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseError || error instanceof PortError) fail(error.message);
  serverLog.fatal({ err: error }, 'start-up failed');
  fail('start-up failed; see the log above');
});
