import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FALLBACK_POLICY, HSTS, newNonce, pagePolicy, servedOverHttps, setSecurityHeaders, settleForwardedHeaders } from './security-headers';

const request = (proto?: string | string[]) =>
  ({ headers: proto === undefined ? {} : { 'x-forwarded-proto': proto } }) as unknown as IncomingMessage;

function headersFor(req: IncomingMessage, options: { trustedProxies: number; forceHttps: boolean }) {
  const set = new Map<string, string>();
  const res = { setHeader: (name: string, value: string) => set.set(name.toLowerCase(), value) } as unknown as ServerResponse;
  setSecurityHeaders(req, res, options);
  return Object.fromEntries(set);
}

describe('servedOverHttps', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(servedOverHttps(request('https'), { trustedProxies: 0, forceHttps: false })).toBe(false);
    expect(servedOverHttps(request('https'), { trustedProxies: 1, forceHttps: false })).toBe(true);
    expect(servedOverHttps(request('HTTPS'), { trustedProxies: 1, forceHttps: false })).toBe(true);
    expect(servedOverHttps(request('http'), { trustedProxies: 1, forceHttps: false })).toBe(false);
    expect(servedOverHttps(request(), { trustedProxies: 1, forceHttps: false })).toBe(false);
  });

  it('reads the entry its outermost trusted proxy appended, not what the client wrote before it', () => {
    expect(servedOverHttps(request('https, http'), { trustedProxies: 1, forceHttps: false })).toBe(false);
    expect(servedOverHttps(request('http, https'), { trustedProxies: 1, forceHttps: false })).toBe(true);
    expect(servedOverHttps(request('https, https, http'), { trustedProxies: 2, forceHttps: false })).toBe(true);
    expect(servedOverHttps(request('https'), { trustedProxies: 3, forceHttps: false })).toBe(true);
    expect(servedOverHttps(request(['http', 'https']), { trustedProxies: 1, forceHttps: false })).toBe(true);
  });

  it('is always true with FORCE_HTTPS', () => {
    expect(servedOverHttps(request('http'), { trustedProxies: 0, forceHttps: true })).toBe(true);
  });
});

describe('setSecurityHeaders', () => {
  it('sets the fallback policy and the common headers, and HSTS only over HTTPS', () => {
    const plain = headersFor(request('https'), { trustedProxies: 0, forceHttps: false });
    expect(plain).toMatchObject({
      'content-security-policy': FALLBACK_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    });
    expect(plain['permissions-policy']).toMatch(/(^|, )camera=\(\)/);
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(headersFor(request(), { trustedProxies: 0, forceHttps: true })['strict-transport-security']).toBe(HSTS);
  });
});

describe('pagePolicy', () => {
  it('allows scripts by nonce only in production, and never inline code', () => {
    const policy = pagePolicy('abc');
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
    expect(pagePolicy('abc', { dev: true })).toContain("'unsafe-eval'");
  });

  it('gets a new nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe('settleForwardedHeaders', () => {
  const settled = (headers: Record<string, string>, trustedProxies: number, forceHttps = false) => {
    const req = { headers: { ...headers } };
    settleForwardedHeaders(req, { trustedProxies, forceHttps });
    return req.headers;
  };

  it('without a trusted proxy, leaves what comes after (next-auth\'s cookie names) no scheme or host the client wrote', () => {
    expect(settled({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' }, 0)).toEqual({ 'x-forwarded-proto': 'http' });
    expect(settled({}, 0, true)).toEqual({ 'x-forwarded-proto': 'https' });
  });

  it('with trusted proxies, keeps the one entry of each the outermost of them wrote', () => {
    expect(settled({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'evil.test, kf.example.com' }, 1)).toEqual({
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'kf.example.com',
    });
    expect(settled({ 'x-forwarded-proto': 'http, https' }, 1)).toEqual({ 'x-forwarded-proto': 'https' });
  });
});
