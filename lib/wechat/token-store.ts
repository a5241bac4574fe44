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
  fetchedAt: number;
}

/**
 * How long a token just fetched is used without asking again, however little of its life is left.
 * stable_token answers with the token in force until it expires (force_refresh false), so near the
 * end of its two hours it returns one with under minValidityMs left: asking again at each call would
 * cost every send a token call for the last minutes. A token that expires meanwhile is rejected
 * (42001), forgotten and fetched anew, as any rejected token is.
 */
export const SHORT_TOKEN_REFETCH_MS = 60_000;

/** Whether a stored token serves a call that wants minValidityMs of it: enough life left, or fetched just now and not yet expired. */
export function tokenServes(token: { expiresAt: number; fetchedAt: number }, now: number, minValidityMs: number): boolean {
  const left = token.expiresAt - now;
  return left >= minValidityMs || (left > 0 && now >= token.fetchedAt && now - token.fetchedAt < SHORT_TOKEN_REFETCH_MS);
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
    if (stored && tokenServes(stored, this.#now(), minValidityMs)) return stored.accessToken;
    const pending = this.#inflight.get(appId);
    if (pending) return pending;
    // A freshly fetched token is returned, and kept (tokenServes), even if it is shorter-lived than
    // minValidityMs: stable_token may legitimately return one with only ~300 s left.
    const refresh = (async () => {
      const fetched = await fetch();
      const now = this.#now();
      this.#tokens.set(appId, { accessToken: fetched.accessToken, expiresAt: now + fetched.expiresIn * 1000, fetchedAt: now });
      return fetched.accessToken;
    })().finally(() => this.#inflight.delete(appId));
    this.#inflight.set(appId, refresh);
    return refresh;
  }

  async invalidate(appId: string, accessToken: string): Promise<void> {
    if (this.#tokens.get(appId)?.accessToken === accessToken) this.#tokens.delete(appId);
  }
}
