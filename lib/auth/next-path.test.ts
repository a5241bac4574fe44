import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('follows a path on this site, query included', () => {
    expect(safeNextPath('/sessions/1')).toBe('/sessions/1');
    expect(safeNextPath('/sessions?status=expired&from=2026-12-01')).toBe('/sessions?status=expired&from=2026-12-01');
  });

  it('goes to the Live page instead of anywhere else', () => {
    for (const value of ['https://evil.test/', '//evil.test', '/\\evil.test', 'sessions', '', undefined, ['/a'], '/a\nb', '/login', '/login?next=/x', `/${'a'.repeat(2000)}`]) {
      expect(safeNextPath(value)).toBe('/');
    }
  });
});

describe('loginPathFor', () => {
  it('carries the page asked for, and nothing for the Live page', () => {
    expect(loginPathFor('/sessions/1?tab=x')).toBe('/login?next=%2Fsessions%2F1%3Ftab%3Dx');
    expect(loginPathFor('/')).toBe('/login');
    expect(loginPathFor(null)).toBe('/login');
    // A sign-in that ended elsewhere: the sign-in page says so.
    expect(loginPathFor('/agents', { ended: true })).toBe('/login?next=%2Fagents&ended=1');
    expect(loginPathFor('/', { ended: true })).toBe('/login?ended=1');
  });
});
