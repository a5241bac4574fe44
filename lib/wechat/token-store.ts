export interface FetchedToken {
  accessToken: string;
  /** Seconds, as WeChat's `expires_in`. */
  expiresIn: number;
}

export interface TokenStore {
  /** A token valid for at least minValidityMs; implementations call fetch when missing or about to expire, and guarantee one fetch at a time per appId. */
  getToken(appId: string, fetch: () => Promise<FetchedToken>, minValidityMs: number): Promise<string>;
  /** Expire this exact token only if it is still the stored one (another caller may already have replaced it). */
  invalidate(appId: string, accessToken: string): Promise<void>;
}

interface StoredToken {
  accessToken: string;
  expiresAt: number;
}

/** Per-process store; fine for one server and for tests. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();
  readonly #inflight = new Map<string, Promise<string>>();
  readonly #now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now;
  }

  async getToken(appId: string, fetch: () => Promise<FetchedToken>, minValidityMs: number): Promise<string> {
    const stored = this.#tokens.get(appId);
    if (stored && stored.expiresAt - this.#now() >= minValidityMs) return stored.accessToken;
    const pending = this.#inflight.get(appId);
    if (pending) return pending;
    // A freshly fetched token is returned even if it is shorter-lived than minValidityMs: stable_token
    // may legitimately return one with only ~300 s left, and refusing it would loop.
    const refresh = (async () => {
      const fetched = await fetch();
      this.#tokens.set(appId, { accessToken: fetched.accessToken, expiresAt: this.#now() + fetched.expiresIn * 1000 });
      return fetched.accessToken;
    })().finally(() => this.#inflight.delete(appId));
    this.#inflight.set(appId, refresh);
    return refresh;
  }

  async invalidate(appId: string, accessToken: string): Promise<void> {
    if (this.#tokens.get(appId)?.accessToken === accessToken) this.#tokens.delete(appId);
  }
}
