// Configuration: every variable wekf reads, parsed once. Nothing else reads process.env.
// Every complaint reads "<VARIABLE> must be …", so the start-up line is the same shape for each.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseSchedule, ServiceHoursError } from './service-hours';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const intInRange = (min: number, max: number, fallback: number, note = '') =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number between ${min} and ${max}${note}` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}${note}` });
        return z.NEVER;
      }
      return n;
    });

/**
 * How many proxies stand in front of wekf: false/0 none (the socket's address is the client), true
 * one, a number N that many. Each proxy appends the address it was called from, so the client is the
 * N-th entry of X-Forwarded-For from the right; entries further left were written by the client.
 */
const proxyCount = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '' || /^(false|no|off)$/i.test(v)) return 0;
    if (/^(true|yes|on)$/i.test(v)) return 1;
    if (/^\d+$/.test(v) && Number(v) <= 10) return Number(v);
    ctx.addIssue({ code: 'custom', message: 'must be true or false, or the number of proxies in front of wekf (0–10)' });
    return z.NEVER;
  });

const booleanFlag = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return false;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function scheduleProblem(text: string): string | undefined {
  try {
    parseSchedule(text);
    return undefined;
  } catch (error) {
    return error instanceof ServiceHoursError ? error.message : 'not a schedule';
  }
}

export const DEFAULT_SANDBOX_WECHAT_PORT = 3301;
export const DEFAULT_SERVICE_HOURS = '09:00-18:00';
export const DEFAULT_PUSH_RETENTION_DAYS = 90;
export const SANDBOX_SERVICE_HOURS = '00:00-24:00';

const envSchema = z
  .object({
    NODE_ENV: oneOf(['development', 'production', 'test']).optional().default('development'),
    PORT: intInRange(1, 65535, 3000),
    HOST: optionalString.default('0.0.0.0'),
    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
    WEKF_DATA_DIR: optionalString.default('.data'),
    WECHAT_APP_ID: optionalString.refine((v) => v === undefined || /^wx[0-9a-zA-Z]{6,32}$/.test(v), {
      message: 'must be wx followed by 6–32 letters or digits (the AppID in the WeChat console)',
    }),
    WECHAT_APP_SECRET: optionalString,
    WECHAT_TOKEN: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9]{3,32}$/.test(v), {
      message: 'must be 3–32 letters or digits (the Token set in the WeChat console)',
    }),
    WECHAT_ENCODING_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), {
      message: 'must be exactly 43 letters or digits',
    }),
    WECHAT_MAX_SKEW_SECONDS: intInRange(30, 86_400, 300),
    // Connection limits of the HTTP listener (lib/server/http-server.ts).
    HTTP_REQUEST_TIMEOUT_SECONDS: intInRange(1, 300, 10),
    HTTP_MAX_CONNECTIONS: intInRange(100, 1_000_000, 10_000),
    WECHAT_API_BASE: optionalString
      .default('https://api.weixin.qq.com')
      .refine((v) => /^https?:\/\/[^\s/]+(\/.*)?$/.test(v), { message: 'must be an http(s) URL' })
      .transform((v) => v.replace(/\/+$/, '')),
    SERVICE_HOURS: optionalString.superRefine((v, ctx) => {
      const problem = v === undefined ? undefined : scheduleProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `must be a schedule such as "mon-fri 09:00-18:00" (${problem})` });
    }),
    SERVICE_TIMEZONE: optionalString
      .default('Asia/Shanghai')
      .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' }),
    KF_KEYWORDS: optionalString
      .default('客服')
      .transform((v) => v.split(/[,，]/).map((k) => k.trim()).filter(Boolean))
      .refine((list) => list.length > 0, { message: 'must be at least one keyword (comma-separated)' }),
    QUEUE_WAIT_MINUTES: intInRange(1, 24 * 60, 30),
    AGENT_SYNC_MINUTES: intInRange(1, 24 * 60, 5),
    PUSH_RETENTION_DAYS: intInRange(0, 3650, DEFAULT_PUSH_RETENTION_DAYS, ' (0: keep every push)'),
    AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'must be at least 32 characters',
    }),
    ADMIN_EMAIL: optionalString.refine((v) => v === undefined || z.email().safeParse(v).success, {
      message: 'must be an email address',
    }),
    ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 8, {
      message: 'must be at least 8 characters',
    }),
    TRUST_PROXY: proxyCount,
    FORCE_HTTPS: booleanFlag,
    // Absolute session lifetime: past it a sign-in is no longer renewed, however active.
    SESSION_MAX_DAYS: intInRange(1, 365, 7),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    // Fixed, so the address shown at start and in the console stays the same between starts.
    SANDBOX_WECHAT_PORT: intInRange(0, 65535, DEFAULT_SANDBOX_WECHAT_PORT, ' (0: any free port)'),
  })
  .superRefine((env, ctx) => {
    const wechat = [env.WECHAT_APP_ID, env.WECHAT_APP_SECRET, env.WECHAT_TOKEN];
    const given = wechat.filter((v) => v !== undefined).length;
    if (given > 0 && given < 3) {
      for (const name of ['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_TOKEN'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'must be set too: WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_TOKEN are required together',
          });
        }
      }
    }
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      const missing = env.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set together with the other admin variable' });
    }
    if (env.WECHAT_APP_ID === undefined && env.SANDBOX_WECHAT_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['SANDBOX_WECHAT_PORT'], message: `must be different from PORT (${env.PORT})` });
    }
  });

export type Env = Omit<z.infer<typeof envSchema>, 'SERVICE_HOURS'> & {
  /** As set, else office hours (DEFAULT_SERVICE_HOURS), or all day in sandbox mode. */
  SERVICE_HOURS: string;
  /** No WeChat credentials: wekf runs its own fake WeChat. */
  sandbox: boolean;
  dataDir: string;
};

export class EnvError extends Error {
  constructor(public readonly variable: string, message: string) {
    super(`${variable} ${message}`);
    this.name = 'EnvError';
  }
}

/** Parse an environment; throws EnvError naming the first bad variable. Secrets are never echoed. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // Each rule above words its own message; anything else from zod is not shown raw.
    throw new EnvError(variable, issue.message.startsWith('must ') ? issue.message : 'must be a valid value');
  }
  const env = result.data;
  const sandbox = env.WECHAT_APP_ID === undefined;
  return {
    ...env,
    // Office hours for a real account; the sandbox is open all day, so someone trying it at night
    // sees the queue and not only the off-hours reply.
    SERVICE_HOURS: env.SERVICE_HOURS ?? (sandbox ? SANDBOX_SERVICE_HOURS : DEFAULT_SERVICE_HOURS),
    sandbox,
    dataDir: path.resolve(env.WEKF_DATA_DIR),
  };
}

let cached: Env | undefined;

/** The variables wekf reads, for tests that check each one's message. */
export const envVariables = Object.keys(envSchema.shape) as (keyof z.infer<typeof envSchema>)[];

/**
 * The process environment, parsed on first use. A .env file in the working directory fills in what
 * the process manager did not set; it is read here, before the first use anywhere (the logger reads
 * LOG_LEVEL while modules load), and never under tests.
 */
export function env(): Env {
  if (!cached) {
    if (process.env.NODE_ENV !== 'test' && fs.existsSync('.env')) process.loadEnvFile('.env');
    cached = parseEnv(process.env);
  }
  return cached;
}
