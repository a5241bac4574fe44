import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { getStoredToken, saveToken } from '@/db/queries/wechat-tokens';
import { DatabaseTokenStore } from '@/lib/wechat-account/database-token-store';
import type { FetchedToken } from '@/lib/wechat/token-store';
import { testDatabases } from './databases';

const APP = 'wx_token_test';
const HOUR = 3600_000;

describe.each(testDatabases)('database token store on $kind', (testDb) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let fetches: number;
  const fetchToken = async (): Promise<FetchedToken> => {
    fetches += 1;
    await new Promise((r) => setTimeout(r, 30));
    return { accessToken: `token-${fetches}`, expiresIn: 7200 };
  };

  beforeEach(async () => {
    ({ handle: database, drop } = await testDb.open());
    fetches = 0;
  });
  afterEach(() => drop());

  it('fetches once for many concurrent callers and shares the token', async () => {
    const store = new DatabaseTokenStore(() => database);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => store.getToken(APP, fetchToken, 5 * 60_000)));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(fetches).toBe(1);
  });

  it('two stores on one database fetch once between them', async () => {
    const a = new DatabaseTokenStore(() => database);
    const b = new DatabaseTokenStore(() => database);
    const tokens = await Promise.all([a.getToken(APP, fetchToken, 60_000), b.getToken(APP, fetchToken, 60_000)]);
    expect(tokens).toEqual(['token-1', 'token-1']);
    expect(fetches).toBe(1);
  });

  it('refreshes ahead of expiry', async () => {
    let now = Date.now();
    const store = new DatabaseTokenStore(() => database, () => now);
    await store.getToken(APP, fetchToken, 5 * 60_000);
    now += 2 * HOUR - 4 * 60_000; // 4 minutes left: inside the 5-minute lead
    expect(await store.getToken(APP, fetchToken, 5 * 60_000)).toBe('token-2');
  });

  it('a token fetched with under the lead left is used for a minute, by every instance, before asking again', async () => {
    let now = Date.now();
    let lifeS = 200; // stable_token near the end of a token's two hours: the same token, 200 s left
    const shortToken = async (): Promise<FetchedToken> => ({ accessToken: `token-${++fetches}`, expiresIn: lifeS });
    const a = new DatabaseTokenStore(() => database, () => now);
    const b = new DatabaseTokenStore(() => database, () => now);
    expect(await a.getToken(APP, shortToken, 5 * 60_000)).toBe('token-1');
    now += 30_000;
    expect([await a.getToken(APP, shortToken, 5 * 60_000), await b.getToken(APP, shortToken, 5 * 60_000)]).toEqual(['token-1', 'token-1']);
    expect(fetches).toBe(1);
    // A minute on, it is asked for again: WeChat may have a newer one by now.
    now += 31_000;
    expect(await b.getToken(APP, shortToken, 5 * 60_000)).toBe('token-2');
    // Expired, it is never used, however recently fetched.
    lifeS = 1;
    now += 61_000;
    expect(await a.getToken(APP, shortToken, 5 * 60_000)).toBe('token-3');
    now += 2_000;
    expect(await a.getToken(APP, shortToken, 5 * 60_000)).toBe('token-4');
  });

  it('invalidating expires only the token that failed', async () => {
    const store = new DatabaseTokenStore(() => database);
    await store.getToken(APP, fetchToken, 60_000);
    await store.invalidate(APP, 'some-older-token');
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('token-1');
    await store.invalidate(APP, 'token-1');
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('token-2');
    expect((await getStoredToken(database.db, { appId: APP }))?.accessToken).toBe('token-2');
  });

  it('remembers the stored token for a few seconds, then reads the table again (another instance may have replaced it)', async () => {
    let now = Date.now();
    const store = new DatabaseTokenStore(() => database, () => now);
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('token-1');
    // Another instance saves a new token: this one keeps using what it read (still valid) for a moment…
    await saveToken(database.db, { appId: APP, accessToken: 'from-another-instance', expiresAt: new Date(now + 2 * HOUR) });
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('token-1');
    // …then picks the new one up from the table, without fetching.
    now += 11_000;
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('from-another-instance');
    expect(fetches).toBe(1);
  });

  it('forgets a remembered token the moment WeChat rejects it', async () => {
    const store = new DatabaseTokenStore(() => database);
    await store.getToken(APP, fetchToken, 60_000);
    await saveToken(database.db, { appId: APP, accessToken: 'from-another-instance', expiresAt: new Date(Date.now() + 2 * HOUR) });
    await store.invalidate(APP, 'token-1');
    expect(await store.getToken(APP, fetchToken, 60_000)).toBe('from-another-instance');
    expect(fetches).toBe(1);
  });
});
