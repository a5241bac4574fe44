import { describe, expect, it, vi } from 'vitest';
import { MemoryTokenStore, type FetchedToken } from './token-store';

const HOUR = 3600;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('MemoryTokenStore', () => {
  it('fetches once and reuses the token while it stays valid long enough', async () => {
    const c = clock();
    const store = new MemoryTokenStore({ now: c.now });
    const fetch = vi.fn(async (): Promise<FetchedToken> => ({ accessToken: 'A', expiresIn: 2 * HOUR }));
    expect(await store.getToken('wx1', fetch, 300_000)).toBe('A');
    c.advance(HOUR * 1000);
    expect(await store.getToken('wx1', fetch, 300_000)).toBe('A');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refreshes before expiry, once less than minValidityMs remains', async () => {
    const c = clock();
    const store = new MemoryTokenStore({ now: c.now });
    const tokens = ['A', 'B'];
    const fetch = vi.fn(async () => ({ accessToken: tokens.shift()!, expiresIn: 7200 }));
    await store.getToken('wx1', fetch, 300_000);
    c.advance((7200 - 299) * 1000);
    expect(await store.getToken('wx1', fetch, 300_000)).toBe('B');
  });

  it('runs one fetch at a time for concurrent callers', async () => {
    const store = new MemoryTokenStore();
    let release!: (t: FetchedToken) => void;
    const fetch = vi.fn(() => new Promise<FetchedToken>((resolve) => (release = resolve)));
    const calls = Array.from({ length: 5 }, () => store.getToken('wx1', fetch, 0));
    release({ accessToken: 'A', expiresIn: 7200 });
    expect(await Promise.all(calls)).toEqual(['A', 'A', 'A', 'A', 'A']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps apps apart', async () => {
    const store = new MemoryTokenStore();
    await store.getToken('wx1', async () => ({ accessToken: 'A', expiresIn: 7200 }), 0);
    expect(await store.getToken('wx2', async () => ({ accessToken: 'B', expiresIn: 7200 }), 0)).toBe('B');
    expect(await store.getToken('wx1', async () => ({ accessToken: 'C', expiresIn: 7200 }), 0)).toBe('A');
  });

  it('returns a fresh token even if it lives less than minValidityMs, and uses it for a minute before asking again', async () => {
    const c = clock();
    const store = new MemoryTokenStore({ now: c.now });
    const fetch = vi.fn(async () => ({ accessToken: 'short', expiresIn: 300 }));
    expect(await store.getToken('wx1', fetch, 600_000)).toBe('short');
    c.advance(59_000);
    expect(await store.getToken('wx1', fetch, 600_000)).toBe('short');
    expect(fetch).toHaveBeenCalledTimes(1);
    c.advance(2_000);
    await store.getToken('wx1', fetch, 600_000);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('lets the next caller retry after a failed fetch', async () => {
    const store = new MemoryTokenStore();
    await expect(store.getToken('wx1', async () => Promise.reject(new Error('down')), 0)).rejects.toThrow('down');
    expect(await store.getToken('wx1', async () => ({ accessToken: 'A', expiresIn: 7200 }), 0)).toBe('A');
  });

  it('invalidates only the token that failed, not one that already replaced it', async () => {
    const store = new MemoryTokenStore();
    const tokens = ['A', 'B', 'C'];
    const fetch = vi.fn(async () => ({ accessToken: tokens.shift()!, expiresIn: 7200 }));
    await store.getToken('wx1', fetch, 0);
    await store.invalidate('wx1', 'A');
    expect(await store.getToken('wx1', fetch, 0)).toBe('B');
    await store.invalidate('wx1', 'A');
    expect(await store.getToken('wx1', fetch, 0)).toBe('B');
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
