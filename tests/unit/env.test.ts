import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_WECHAT_PORT, EnvError, envVariables, parseEnv } from '@/lib/env';

function errorOf(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('expected an EnvError');
}

describe('parseEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
      // Sandbox mode (no WeChat account): open all day, so a first try at night reaches the queue.
      SERVICE_HOURS: '00:00-24:00',
      SERVICE_TIMEZONE: 'Asia/Shanghai',
      KF_KEYWORDS: ['客服'],
      QUEUE_WAIT_MINUTES: 30,
      AGENT_SYNC_MINUTES: 5,
      PUSH_RETENTION_DAYS: 90,
      sandbox: true,
      TRUST_PROXY: 0,
      SESSION_MAX_DAYS: 7,
      SANDBOX_WECHAT_PORT: DEFAULT_SANDBOX_WECHAT_PORT,
      WECHAT_MAX_SKEW_SECONDS: 300,
      HTTP_REQUEST_TIMEOUT_SECONDS: 10,
      HTTP_MAX_CONNECTIONS: 10_000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.dataDir).toMatch(/\.data$/);
  });

  it('treats empty strings as unset', () => {
    const env = parseEnv({ DATABASE_URL: '', PORT: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it('is live when all three WeChat credentials are given', () => {
    const env = parseEnv({ WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 's', WECHAT_TOKEN: 'tok123' });
    expect(env.sandbox).toBe(false);
    // A real account starts with office hours unless told otherwise.
    expect(env.SERVICE_HOURS).toBe('09:00-18:00');
  });

  it('keeps the service hours set, in either mode', () => {
    expect(parseEnv({ SERVICE_HOURS: 'mon-fri 10:00-16:00' }).SERVICE_HOURS).toBe('mon-fri 10:00-16:00');
    const live = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 's', WECHAT_TOKEN: 'tok123' };
    expect(parseEnv({ ...live, SERVICE_HOURS: '08:00-20:00' }).SERVICE_HOURS).toBe('08:00-20:00');
  });

  it('splits keywords on ASCII and Chinese commas', () => {
    expect(parseEnv({ KF_KEYWORDS: '客服, 人工，help' }).KF_KEYWORDS).toEqual(['客服', '人工', 'help']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', /whole number/],
    [{ PORT: '70000' }, 'PORT', /between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres:\/\//],
    [{ WECHAT_ENCODING_AES_KEY: 'short' }, 'WECHAT_ENCODING_AES_KEY', /43/],
    [{ WECHAT_APP_ID: 'wx1234567890abcdef' }, 'WECHAT_APP_SECRET', /required together/],
    [{ SERVICE_TIMEZONE: 'Mars/Base' }, 'SERVICE_TIMEZONE', /IANA/],
    [{ QUEUE_WAIT_MINUTES: '0' }, 'QUEUE_WAIT_MINUTES', /between/],
    [{ AUTH_SECRET: 'too-short' }, 'AUTH_SECRET', /32/],
    [{ ADMIN_EMAIL: 'boss@example.com' }, 'ADMIN_PASSWORD', /together/],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /true or false/],
    [{ SERVICE_HOURS: 'mon-fri 9-5' }, 'SERVICE_HOURS', /should look like/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent$/],
    [{ SANDBOX_WECHAT_PORT: '3000' }, 'SANDBOX_WECHAT_PORT', /different from PORT \(3000\)/],
    [{ SANDBOX_WECHAT_PORT: '-1' }, 'SANDBOX_WECHAT_PORT', /0: any free port/],
  ])('refuses %o naming %s', (source, variable, message) => {
    const error = errorOf(source);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  // One bad value per variable that can be wrong on its own (HOST, WEKF_DATA_DIR and the AppSecret
  // take any text). The start-up line is "wekf: configuration error: <message>", the same for each.
  const badValues: Record<string, Record<string, string>> = {
    NODE_ENV: { NODE_ENV: 'staging' },
    PORT: { PORT: 'eighty' },
    DATABASE_URL: { DATABASE_URL: 'mysql://x' },
    WECHAT_APP_ID: { WECHAT_APP_ID: 'app', WECHAT_APP_SECRET: 's', WECHAT_TOKEN: 'tok123' },
    WECHAT_APP_SECRET: { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_TOKEN: 'tok123' },
    WECHAT_TOKEN: { WECHAT_TOKEN: 'a b' },
    WECHAT_ENCODING_AES_KEY: { WECHAT_ENCODING_AES_KEY: 'short' },
    WECHAT_API_BASE: { WECHAT_API_BASE: 'ftp://x' },
    SERVICE_HOURS: { SERVICE_HOURS: 'always' },
    SERVICE_TIMEZONE: { SERVICE_TIMEZONE: 'Mars/Base' },
    KF_KEYWORDS: { KF_KEYWORDS: ' , ' },
    QUEUE_WAIT_MINUTES: { QUEUE_WAIT_MINUTES: 'soon' },
    AGENT_SYNC_MINUTES: { AGENT_SYNC_MINUTES: '0' },
    PUSH_RETENTION_DAYS: { PUSH_RETENTION_DAYS: '-1' },
    AUTH_SECRET: { AUTH_SECRET: 'short' },
    ADMIN_EMAIL: { ADMIN_EMAIL: 'boss', ADMIN_PASSWORD: 'long-enough-password' },
    ADMIN_PASSWORD: { ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'short' },
    TRUST_PROXY: { TRUST_PROXY: 'maybe' },
    SESSION_MAX_DAYS: { SESSION_MAX_DAYS: '0' },
    LOG_LEVEL: { LOG_LEVEL: 'loud' },
    SANDBOX_WECHAT_PORT: { SANDBOX_WECHAT_PORT: 'any' },
    WECHAT_MAX_SKEW_SECONDS: { WECHAT_MAX_SKEW_SECONDS: '5' },
    HTTP_REQUEST_TIMEOUT_SECONDS: { HTTP_REQUEST_TIMEOUT_SECONDS: '0' },
    HTTP_MAX_CONNECTIONS: { HTTP_MAX_CONNECTIONS: 'lots' },
    FORCE_HTTPS: { FORCE_HTTPS: 'always' },
  };

  it('reads PUSH_RETENTION_DAYS as days, 0 keeping every push', () => {
    expect(parseEnv({ PUSH_RETENTION_DAYS: '0' }).PUSH_RETENTION_DAYS).toBe(0);
    expect(parseEnv({ PUSH_RETENTION_DAYS: '7' }).PUSH_RETENTION_DAYS).toBe(7);
    expect(errorOf({ PUSH_RETENTION_DAYS: '3651' }).message).toBe('PUSH_RETENTION_DAYS must be between 0 and 3650 (0: keep every push)');
  });

  it('reads FORCE_HTTPS as a flag, off by default', () => {
    expect(parseEnv({}).FORCE_HTTPS).toBe(false);
    expect(parseEnv({ FORCE_HTTPS: 'true' }).FORCE_HTTPS).toBe(true);
    expect(errorOf({ FORCE_HTTPS: 'always' }).message).toBe('FORCE_HTTPS must be true or false');
  });

  it('has a bad-value case for every variable that can be wrong', () => {
    const anyText = ['HOST', 'WEKF_DATA_DIR'];
    expect(Object.keys(badValues).sort()).toEqual(envVariables.filter((v) => !anyText.includes(v)).sort());
  });

  it.each(Object.entries(badValues))('words a bad %s as "<name> must be …"', (variable, source) => {
    const error = errorOf(source);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable} must be \\S`));
    // No raw zod wording (`Invalid option: expected one of "fatal"|…`) and one line only.
    expect(error.message).not.toMatch(/Invalid|expected|"\|"/);
    expect(error.message).not.toContain('\n');
  });

  it('never repeats a secret value in its error', () => {
    const error = errorOf({ AUTH_SECRET: 'my-secret-value' });
    expect(error.message).not.toContain('my-secret-value');
  });
});
