// access_token shared by every instance through the wechat_tokens table. One refresh at a time:
// within a process by a single in-flight promise, across processes by a Postgres advisory lock
// (PGlite has one process by construction). Callers re-read after the lock, so a token another
// instance just fetched is used rather than fetched again (which would invalidate theirs).
import 'server-only';
import { tokenRefreshLock, withAdvisoryLock } from '@/db/advisory-locks';
import type { DatabaseHandle } from '@/db/client';
import { expireToken, getStoredToken, saveToken } from '@/db/queries/wechat-tokens';
import { tokenServes, type FetchedToken, type TokenStore } from '@/lib/wechat/token-store';

// Shared by every store in the process (server.ts and Next's bundle each load this module).
const holder = globalThis as typeof globalThis & {
  __wekfTokenRefreshes?: Map<string, Promise<string>>;
  __wekfTokenMemo?: WeakMap<DatabaseHandle, Map<string, Memo>>;
};
const inflight: Map<string, Promise<string>> = (holder.__wekfTokenRefreshes ??= new Map());

// The stored token, remembered briefly so an outbox sending hundreds of messages a second does not
// read the table for each. Short enough that a token another instance replaced is picked up soon;
// meanwhile the old one still works (stable_token overlaps), and a rejected one is forgotten at once.
interface Memo {
  accessToken: string;
  expiresAt: number;
  fetchedAt: number;
  readAt: number;
}
const MEMO_MS = 10_000;
const memos: WeakMap<DatabaseHandle, Map<string, Memo>> = (holder.__wekfTokenMemo ??= new WeakMap());

export class DatabaseTokenStore implements TokenStore {

  constructor(
    private readonly database: () => DatabaseHandle,
    private readonly now: () => number = Date.now,
  ) {}

  async getToken(appId: string, fetch: () => Promise<FetchedToken>, minValidityMs: number): Promise<string> {
    const fresh = await this.#freshStored(appId, minValidityMs);
    if (fresh) return fresh;
    let pending = inflight.get(appId);
    if (!pending) {
      pending = this.#refresh(appId, fetch, minValidityMs).finally(() => inflight.delete(appId));
      inflight.set(appId, pending);
    }
    return pending;
  }

  async invalidate(appId: string, accessToken: string): Promise<void> {
    const memo = this.#memo();
    if (memo.get(appId)?.accessToken === accessToken) memo.delete(appId);
    await expireToken(this.database().db, { appId, accessToken, now: new Date(this.now()) });
  }

  async #freshStored(appId: string, minValidityMs: number, opts: { memo: boolean } = { memo: true }): Promise<string | undefined> {
    const now = this.now();
    const memo = this.#memo();
    const known = memo.get(appId);
    if (opts.memo && known && now - known.readAt < MEMO_MS && now >= known.readAt) {
      return tokenServes(known, now, minValidityMs) ? known.accessToken : undefined;
    }
    const stored = await getStoredToken(this.database().db, { appId });
    if (!stored) return undefined;
    const token = { accessToken: stored.accessToken, expiresAt: stored.expiresAt.getTime(), fetchedAt: stored.fetchedAt.getTime(), readAt: now };
    memo.set(appId, token);
    return tokenServes(token, now, minValidityMs) ? token.accessToken : undefined;
  }

  /** Per database: tests (and a process that reopens its database) must not see another's token. */
  #memo(): Map<string, Memo> {
    const database = this.database();
    let memo = memos.get(database);
    if (!memo) memos.set(database, (memo = new Map()));
    return memo;
  }

  async #refresh(appId: string, fetch: () => Promise<FetchedToken>, minValidityMs: number): Promise<string> {
    const database = this.database();
    const fetchAndSave = async () => {
      // Under the lock, from the table itself: another instance may have just saved a new one.
      const again = await this.#freshStored(appId, minValidityMs, { memo: false });
      if (again) return again;
      const fetched = await fetch();
      const fetchedAt = this.now();
      const expiresAt = new Date(fetchedAt + fetched.expiresIn * 1000);
      await saveToken(database.db, { appId, accessToken: fetched.accessToken, expiresAt, fetchedAt: new Date(fetchedAt) });
      this.#memo().set(appId, { accessToken: fetched.accessToken, expiresAt: expiresAt.getTime(), fetchedAt, readAt: fetchedAt });
      return fetched.accessToken;
    };
    return withAdvisoryLock(database, tokenRefreshLock(appId), fetchAndSave);
  }
}
