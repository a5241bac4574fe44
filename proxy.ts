// Every console page gets a Content-Security-Policy with a fresh nonce. Next.js reads the nonce from
// the policy on the request and adds it to the scripts it writes into the page (every page here is
// rendered per request: the layout reads the locale cookie), so the browser runs those and nothing
// injected. The other security headers, and a strict policy for everything that is not a page, come
// from server.ts (lib/server/security-headers.ts), which sees every response including the webhook.
import { type NextRequest, NextResponse } from 'next/server';
import { REQUESTED_PATH_HEADER } from '@/lib/auth/next-path';
import { newNonce, pagePolicy } from '@/lib/server/security-headers';

export function proxy(request: NextRequest) {
  // NODE_ENV here is the constant Next compiles in: 'production' in every production build.
  const policy = pagePolicy(newNonce(), { dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  // The page asked for, so a signed-out visitor is sent back to it after signing in (requireUser).
  requestHeaders.set(REQUESTED_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages and server actions; not API routes, static files or prefetches, which render no
      // scripts and keep server.ts's stricter policy.
      source: '/((?!api/|_next/static/|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
