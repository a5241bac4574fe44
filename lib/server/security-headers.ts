// Security headers for every response wekf sends, in two layers:
//
// - server.ts calls setSecurityHeaders on each request before routing it, so every answer carries
//   them: the webhook (served outside Next), console pages, Next's 404s and error pages, API routes
//   and static assets. It is the one place that sees them all, and the one that knows whether the
//   request came over HTTPS through a trusted proxy (for HSTS). next.config.mjs headers() would miss
//   the webhook and cannot decide HSTS per request; proxy.ts also misses the webhook and should
//   stay off static assets.
// - proxy.ts replaces the strict fallback policy below with pagePolicy() on the console's pages:
//   Next.js reads the per-request nonce from that policy and puts it on its own inline scripts
//   (the React Server Components payload), so no 'unsafe-inline' is needed.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The policy for anything that is not a page (webhook, API, static files): nothing may load, and
 * no one may frame it. A page that proxy.ts did not cover would show up broken, not unprotected.
 */
export const FALLBACK_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The console's policy. Scripts only with this request's nonce (and what they load, strict-dynamic);
 * styles, images, fonts and fetches from this origin, plus agents' avatars from WeChat's image hosts
 * (getkflist's kf_headimgurl); no plugins, no <base>, forms post here only,
 * and no one frames the console (clickjacking). Next's development server needs eval and inline
 * styles for hot reload, never a production build.
 */
export function pagePolicy(nonce: string, { dev = false }: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // A nonce in style-src would make browsers ignore 'unsafe-inline', so development uses only that.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob: https://mmbiz.qpic.cn https://wx.qlogo.cn https://thirdwx.qlogo.cn",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/** Browser features the console never uses, all turned off for it and anything it might embed. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'browsing-topics',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/** One year; not includeSubDomains or preload, which would bind hosts wekf does not own. */
export const HSTS = 'max-age=31536000';

export interface SecurityHeaderOptions {
  /** How many proxies in front of wekf to believe (TRUST_PROXY): 0 means X-Forwarded-Proto is ignored. */
  trustedProxies: number;
  /** FORCE_HTTPS: the site is only ever reached over HTTPS, whatever the request says. */
  forceHttps: boolean;
}

/**
 * Whether the browser reached us over HTTPS: FORCE_HTTPS, or the scheme the outermost trusted
 * proxy recorded in X-Forwarded-Proto. Each proxy that appends adds one entry on the right, so
 * with N trusted proxies the entry N from the right is the one the first of them wrote; entries
 * further left came from the client.
 */
export function servedOverHttps(req: Pick<IncomingMessage, 'headers'>, options: SecurityHeaderOptions): boolean {
  if (options.forceHttps) return true;
  if (options.trustedProxies < 1) return false;
  return entryOfProxies(req.headers['x-forwarded-proto'], options.trustedProxies)?.toLowerCase() === 'https';
}

/**
 * Leaves the request's X-Forwarded-Proto and X-Forwarded-Host saying only what the trusted proxies
 * recorded, for what reads them after us (Next, and next-auth, which names its cookies
 * `__Secure-` and marks them Secure by the scheme it derives): the scheme servedOverHttps decides,
 * and the host the outermost trusted proxy wrote, or none without a trusted proxy. A client's own
 * `X-Forwarded-Proto: https` over plain HTTP got it a Secure cookie.
 */
export function settleForwardedHeaders(req: Pick<IncomingMessage, 'headers'>, options: SecurityHeaderOptions): void {
  req.headers['x-forwarded-proto'] = servedOverHttps(req, options) ? 'https' : 'http';
  const host = options.trustedProxies < 1 ? undefined : entryOfProxies(req.headers['x-forwarded-host'], options.trustedProxies);
  if (host) req.headers['x-forwarded-host'] = host;
  else delete req.headers['x-forwarded-host'];
}

/** The entry the outermost of `proxies` trusted proxies appended to a comma-separated forwarding header. */
function entryOfProxies(header: string | string[] | undefined, proxies: number): string | undefined {
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((v) => v.trim());
  return entries[Math.max(0, entries.length - proxies)] || undefined;
}

/** Sets the headers every response carries; a page's own policy (proxy.ts) replaces the fallback CSP. */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityHeaderOptions): void {
  res.setHeader('Content-Security-Policy', FALLBACK_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  if (servedOverHttps(req, options)) res.setHeader('Strict-Transport-Security', HSTS);
}
