// The wekf process: one HTTP listener. /api/wechat goes to the webhook fast path (a plain function,
// ~10x the throughput of a Next route handler); everything else goes to Next.js.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { closeDatabase, currentDatabase, DatabaseError, getDatabase } from './db/client';
import { ensureFirstAdmin } from './lib/auth/bootstrap';
import { CLIENT_IP_HEADER } from './lib/auth/options';
import { authSecret } from './lib/auth/secret';
import { env, EnvError, type Env } from './lib/env';
import { startWechatRuntime } from './lib/kf/runtime';
import { errorText, log } from './lib/log';
import { withPrivateDataDir } from './lib/server/data-dir';
import { closeGracefully } from './lib/server/graceful';
import { projectRoot } from './lib/server/project-root';
import { setSecurityHeaders } from './lib/server/security-headers';
import { serveWebhook } from './lib/server/webhook-http';

const WEBHOOK_PATH = '/api/wechat';
const serverLog = log.child({ module: 'server' });

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');
  // Password hashes and the generated secret live in the data folder: private before anything is written.
  const database = await withPrivateDataDir(config.dataDir, () =>
    getDatabase({ url: config.DATABASE_URL, dataDir: path.join(config.dataDir) }),
  );
  serverLog.info({ db: database.description, mode: config.sandbox ? 'sandbox' : 'live' }, 'database ready');

  const admin = await ensureFirstAdmin(database.db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  if (admin.created) announceFirstAdmin(admin.email, admin.generatedPassword);
  authSecret(); // create the generated secret now, before two module graphs race for it
  const dir = projectRoot();
  const runtime = await startWechatRuntime(config, {
    database: currentDatabase,
    webhookUrl: `http://127.0.0.1:${config.PORT}${WEBHOOK_PATH}`,
    // Bundled by the production build (scripts/bundle-server.mjs); in development the
    // dispatcher runs on this thread.
    outboxWorkerFile: dev ? undefined : path.join(dir, '.next', 'wekf', 'outbox-worker.mjs'),
  });

  // next-auth derives its own URL from the Host header only when told to trust it.
  process.env.AUTH_TRUST_HOST = 'true';
  const app = next({ dev, dir, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handleNext = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    setSecurityHeaders(req, res, { trustedProxies: Number(config.TRUST_PROXY), forceHttps: config.FORCE_HTTPS });
    stampClientIp(req, config.TRUST_PROXY);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === WEBHOOK_PATH) {
      void serveWebhook(runtime.webhook, req, res, url.searchParams);
      return;
    }
    void handleNext(req, res).catch((error: unknown) => {
      serverLog.error({ err: errorText(error) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  serverLog.info({ port: config.PORT }, `wekf listening on http://localhost:${config.PORT}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    serverLog.info({ signal }, 'shutting down');
    await closeGracefully(server, 10_000);
    await runtime.stop();
    await app.close?.();
    await closeDatabase();
    serverLog.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Sign-in throttling needs the caller's IP; only trust X-Forwarded-For behind a configured proxy. */
function stampClientIp(req: http.IncomingMessage, trustProxy: boolean): void {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
  req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || 'unknown';
}

function loadConfig(): Env {
  // A .env file beside the server, when present, fills in what the process manager did not set.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
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
    ? [`First admin created: ${email}`, `Password: ${generatedPassword}`, 'Sign in and change it on the Staff page.']
    : [`First admin created from ADMIN_EMAIL: ${email}`];
  process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}

function fail(message: string): never {
  process.stderr.write(`wekf: ${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseError) fail(error.message);
  serverLog.fatal({ err: error }, 'start-up failed');
  fail('start-up failed; see the log above');
});
