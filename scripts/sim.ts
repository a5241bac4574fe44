// npm run sim — run the fake WeChat (API servers + follower side) standalone and print how to point
// wekf at it. Flags win over SIM_* environment variables; anything unset is generated.
//   npm run sim -- --port 4010 --webhook http://127.0.0.1:3000/api/wechat --mode safe
import { parseArgs } from 'node:util';
import { SimUsageError, startWechatSim, type PushMode, type SimOptions } from '../lib/wechat-sim';

const USAGE = `usage: npm run sim -- [options]
  --port <n>            API port (SIM_PORT, default 4010)
  --host <addr>         listen address (SIM_HOST, default 127.0.0.1)
  --webhook <url>       where follower pushes go (SIM_WEBHOOK_URL, default http://127.0.0.1:3000/api/wechat)
  --no-webhook          push nothing until a webhook is set via POST /__sim/webhook
  --mode <m>            plain | compat | safe (SIM_MODE, default plain)
  --app-id, --app-secret, --token, --aes-key, --original-id, --kf-suffix
                        fixed credentials (SIM_APP_ID, SIM_APP_SECRET, SIM_TOKEN, SIM_AES_KEY,
                        SIM_ORIGINAL_ID, SIM_KF_SUFFIX); random when unset
  --push-timeout <ms>   webhook deadline (default 5000)
  --push-attempts <n>   deliveries per push in all (default 3)`;

// This script is a standalone tool, not part of the app, so it reads its own SIM_* variables
// rather than going through lib/env.ts.
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    webhook: { type: 'string' },
    'no-webhook': { type: 'boolean' },
    mode: { type: 'string' },
    'app-id': { type: 'string' },
    'app-secret': { type: 'string' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'original-id': { type: 'string' },
    'kf-suffix': { type: 'string' },
    'push-timeout': { type: 'string' },
    'push-attempts': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) fail(`${name} must be a whole number`);
  return Number(raw);
}

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const env = process.env;
const mode = values.mode ?? env.SIM_MODE ?? 'plain';
if (mode !== 'plain' && mode !== 'compat' && mode !== 'safe') fail('--mode must be plain, compat or safe');
const webhookUrl = values['no-webhook']
  ? undefined
  : (values.webhook ?? env.SIM_WEBHOOK_URL ?? 'http://127.0.0.1:3000/api/wechat');

const options: SimOptions = {
  port: integer('--port', values.port ?? env.SIM_PORT) ?? 4010,
  host: values.host ?? env.SIM_HOST ?? '127.0.0.1',
  webhookUrl,
  mode: mode as PushMode,
  appId: values['app-id'] ?? env.SIM_APP_ID,
  appSecret: values['app-secret'] ?? env.SIM_APP_SECRET,
  token: values.token ?? env.SIM_TOKEN,
  encodingAESKey: values['aes-key'] ?? env.SIM_AES_KEY,
  originalId: values['original-id'] ?? env.SIM_ORIGINAL_ID,
  kfSuffix: values['kf-suffix'] ?? env.SIM_KF_SUFFIX,
  pushTimeoutMs: integer('--push-timeout', values['push-timeout']),
  pushAttempts: integer('--push-attempts', values['push-attempts']),
};

let sim;
try {
  sim = await startWechatSim(options);
} catch (error) {
  // Bad options (a short AES key, a busy port) are the user's to fix, not a crash to debug.
  if (error instanceof SimUsageError || (error instanceof Error && 'code' in error)) fail(error.message);
  throw error;
}

const { credentials } = sim;
console.log(`fake WeChat listening on ${sim.url}`);
console.log(`pushes go to ${webhookUrl ?? '(nowhere yet)'} in ${mode} mode`);
console.log(`\nOA original id ${credentials.originalId}; kf accounts end in @${credentials.kfSuffix}`);
console.log('\npoint wekf at it with:');
console.log(`  WECHAT_API_BASE=${sim.url}`);
console.log(`  WECHAT_APP_ID=${credentials.appId}`);
console.log(`  WECHAT_APP_SECRET=${credentials.appSecret}`);
console.log(`  WECHAT_TOKEN=${credentials.token}`);
console.log(`  WECHAT_ENCODING_AES_KEY=${credentials.encodingAESKey}`);
console.log(`\ncontrol API: ${sim.url}/__sim/state, POST ${sim.url}/__sim/followers/<openid>/text {"text":"客服"}, …`);

const running = sim;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
