// Where sign-in goes on to: the console page a signed-out visitor asked for, carried as ?next=.
// Only a path on this site is followed, so a link to the sign-in page cannot send anyone elsewhere.

/** The request header proxy.ts sets to the page's path and query, for requireUser to carry on. */
export const REQUESTED_PATH_HEADER = 'x-wekf-requested-path';

/** `value` when it is a path on this site (not the sign-in page itself), else `/`. */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  // One leading slash: `//host` and `/\host` are other sites to a browser; no control characters.
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f\u007f]/.test(value)) return '/';
  const path = value.split(/[?#]/)[0]!;
  return path === '/login' ? '/' : value;
}

/**
 * The sign-in page, to return to `path` afterwards (the Live page needs no ?next=). `ended`: the
 * browser was signed in, and is no longer (signed out elsewhere, disabled, expired): the page says so.
 */
export function loginPathFor(path: string | null, opts: { ended?: boolean } = {}): string {
  const next = safeNextPath(path);
  const query = new URLSearchParams();
  if (next !== '/') query.set('next', next);
  if (opts.ended) query.set('ended', '1');
  const search = query.toString();
  return search ? `/login?${search}` : '/login';
}
