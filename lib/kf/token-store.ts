// access_token shared by every instance through the wechat_tokens table. One refresh at a time:
// within a process by a single in-flight promise, across processes by a Postgres advisory lock
// (PGlite has one process by construction). Callers re-read after the lock, so a token another
// instance just fetched is used rather than fetched again (which would invalidate theirs).
import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '@/db/client';
import { withAdvisoryLock } from '@/db/queries/locks';
import { expireToken, getStoredToken, saveToken } from '@/db/queries/wechat-tokens';
import type { FetchedToken, TokenStore } from '@/lib/wechat/token-store';

// Shared by every store in the process (server.ts and Next's bundle each load this module).
const holder = globalThis as typeof globalThis & { __wekfTokenRefreshes?: Map<string, Promise<string>> };
const inflight: Map<string, Promise<string>> = (holder.__wekfTokenRefreshes ??= new Map());

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
    await expireToken(this.database().db, { appId, accessToken, now: new Date(this.now()) });
  }

  async #freshStored(appId: string, minValidityMs: number): Promise<string | undefined> {
    const stored = await getStoredToken(this.database().db, { appId });
    return stored && stored.expiresAt.getTime() - this.now() >= minValidityMs ? stored.accessToken : undefined;
  }

  async #refresh(appId: string, fetch: () => Promise<FetchedToken>, minValidityMs: number): Promise<string> {
    const database = this.database();
    const fetchAndSave = async () => {
      const again = await this.#freshStored(appId, minValidityMs);
      if (again) return again;
      const fetched = await fetch();
      const expiresAt = new Date(this.now() + fetched.expiresIn * 1000);
      await saveToken(database.db, { appId, accessToken: fetched.accessToken, expiresAt });
      return fetched.accessToken;
    };
    return withAdvisoryLock(database, advisoryKey(appId), fetchAndSave);
  }
}

/** A stable 64-bit advisory lock key for one appid's token. */
function advisoryKey(appId: string): bigint {
  return createHash('sha256').update(`wechat_token:${appId}`).digest().readBigInt64BE(0);
}
