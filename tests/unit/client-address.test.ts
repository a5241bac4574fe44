import { describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client-address';
import { parseEnv } from '@/lib/env';

const peer = '10.0.0.9';

function fromHeader(forwardedFor: string | string[] | undefined, trustProxy: string | undefined): string {
  return clientAddress({ forwardedFor, remoteAddress: peer, proxies: parseEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY });
}

describe('client address from X-Forwarded-For', () => {
  it('ignores the header when TRUST_PROXY is false or unset', () => {
    expect(fromHeader('203.0.113.7', undefined)).toBe(peer);
    expect(fromHeader('203.0.113.7', 'false')).toBe(peer);
    expect(fromHeader('203.0.113.7', '0')).toBe(peer);
  });

  it('takes the rightmost entry with TRUST_PROXY=true: the one the proxy wrote', () => {
    expect(fromHeader('203.0.113.7', 'true')).toBe('203.0.113.7');
    // The client wrote the first entry; the proxy appended the real address.
    expect(fromHeader('198.51.100.1, 203.0.113.7', 'true')).toBe('203.0.113.7');
    expect(fromHeader(['198.51.100.1', '203.0.113.7'], 'true')).toBe('203.0.113.7');
  });

  it('takes the N-th entry from the right with TRUST_PROXY=N', () => {
    expect(fromHeader('198.51.100.1, 203.0.113.7, 10.1.1.1', '2')).toBe('203.0.113.7');
    expect(fromHeader('198.51.100.1, 203.0.113.7, 10.1.1.1, 10.2.2.2', '3')).toBe('203.0.113.7');
    expect(fromHeader('203.0.113.7, 10.1.1.1', '1')).toBe('10.1.1.1');
  });

  it('falls back sensibly when the header is short, missing or not an address', () => {
    expect(fromHeader('203.0.113.7', '2')).toBe('203.0.113.7');
    expect(fromHeader(undefined, 'true')).toBe(peer);
    expect(fromHeader('', 'true')).toBe(peer);
    expect(fromHeader('198.51.100.1, not-an-ip', 'true')).toBe(peer);
    expect(fromHeader('2001:db8::1', 'true')).toBe('2001:db8::1');
  });

  it('refuses a TRUST_PROXY that is neither a flag nor a small count', () => {
    expect(() => parseEnv({ TRUST_PROXY: 'maybe' })).toThrow(/^TRUST_PROXY must be true or false, or the number of proxies/);
    expect(() => parseEnv({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY must be/);
  });
});
