import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

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
      SERVICE_HOURS: '09:00-18:00',
      SERVICE_TIMEZONE: 'Asia/Shanghai',
      KF_KEYWORDS: ['客服'],
      QUEUE_WAIT_MINUTES: 30,
      sandbox: true,
      TRUST_PROXY: false,
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
  });

  it('splits keywords on ASCII and Chinese commas', () => {
    expect(parseEnv({ KF_KEYWORDS: '客服, 人工，help' }).KF_KEYWORDS).toEqual(['客服', '人工', 'help']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', /whole number/],
    [{ PORT: '70000' }, 'PORT', /between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres:\/\//],
    [{ WECHAT_ENCODING_AES_KEY: 'short' }, 'WECHAT_ENCODING_AES_KEY', /43/],
    [{ WECHAT_APP_ID: 'wx1234567890abcdef' }, 'WECHAT_APP_SECRET', /required/],
    [{ SERVICE_TIMEZONE: 'Mars/Base' }, 'SERVICE_TIMEZONE', /IANA/],
    [{ QUEUE_WAIT_MINUTES: '0' }, 'QUEUE_WAIT_MINUTES', /between/],
    [{ AUTH_SECRET: 'too-short' }, 'AUTH_SECRET', /32/],
    [{ ADMIN_EMAIL: 'boss@example.com' }, 'ADMIN_PASSWORD', /together/],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /true or false/],
    [{ SERVICE_HOURS: 'mon-fri 9-5' }, 'SERVICE_HOURS', /should look like/],
  ])('refuses %o naming %s', (source, variable, message) => {
    const error = errorOf(source);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  it('reads FORCE_HTTPS as a flag, off by default', () => {
    expect(parseEnv({}).FORCE_HTTPS).toBe(false);
    expect(parseEnv({ FORCE_HTTPS: 'true' }).FORCE_HTTPS).toBe(true);
    expect(errorOf({ FORCE_HTTPS: 'always' }).message).toBe('FORCE_HTTPS must be true or false');
  });

  it('never repeats a secret value in its error', () => {
    const error = errorOf({ AUTH_SECRET: 'my-secret-value' });
    expect(error.message).not.toContain('my-secret-value');
  });
});
