// Whose address a request comes from, for sign-in throttling. Behind N proxies each one appends the
// address it was called from to X-Forwarded-For, so only the N rightmost entries were written by
// someone we trust; anything to their left is whatever the client chose to send.
import { isIP } from 'node:net';

/**
 * The client's address: the socket's peer with no proxy, else the N-th X-Forwarded-For entry from
 * the right. A header with fewer entries than proxies (a proxy that did not append) gives its
 * leftmost entry; a value that is not an IP address falls back to the socket's peer.
 */
export function clientAddress(params: {
  forwardedFor: string | string[] | undefined;
  remoteAddress: string | undefined;
  proxies: number;
}): string {
  const peer = params.remoteAddress || 'unknown';
  if (params.proxies <= 0) return peer;
  const header = Array.isArray(params.forwardedFor) ? params.forwardedFor.join(',') : (params.forwardedFor ?? '');
  const entries = header
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return peer;
  const chosen = entries[Math.max(0, entries.length - params.proxies)]!;
  return isIP(chosen) ? chosen : peer;
}
