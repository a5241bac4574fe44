// Server-side guards for pages, actions and route handlers. The cookie says who signed in; the
// database says whether they still may (disabled, signed out or password/role changed since, or
// signed in longer ago than SESSION_MAX_DAYS: session-token.ts).
import 'server-only';
import { cookies, headers } from 'next/headers';
import { decode, encode } from 'next-auth/jwt';
import { redirect } from 'next/navigation';
import { currentDatabase } from '@/db/client';
import type { UserRole } from '@/db/queries/users';
import { loginPathFor, REQUESTED_PATH_HEADER } from './next-path';
import { authOptions } from './options';
import { claimsOf, SESSION_COOKIES, userOfClaims, type SignedInUser } from './session-cookie';

export type { SignedInUser } from './session-cookie';

export class AuthError extends Error {
  constructor(readonly code: 'unauthenticated' | 'forbidden') {
    super(code);
  }
}

/** The signed-in staff member, or null when there is none (or the sign-in is no longer valid). */
export async function currentUser(): Promise<SignedInUser | null> {
  const jar = await cookies();
  const claims = await claimsOf(SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean));
  return userOfClaims(currentDatabase().db, claims);
}

/**
 * After the signed-in user changed their own sessionVersion (new password, "sign out other
 * sessions"): this browser gets a cookie with the new version and stays signed in; every other
 * browser still holds the old one and is signed out. For server actions only (they may set cookies).
 */
export async function renewSessionCookie(sessionVersion: number): Promise<void> {
  const jar = await cookies();
  const name = SESSION_COOKIES.find((n) => jar.get(n)?.value);
  if (!name) return;
  const { secret, session } = authOptions();
  const claims = await decode({ token: jar.get(name)!.value, secret: secret! }).catch(() => null);
  if (!claims) return;
  const maxAge = session!.maxAge!;
  const token = await encode({ token: { ...claims, sv: sessionVersion }, secret: secret!, maxAge });
  jar.set(name, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: name.startsWith('__Secure-'), maxAge });
}

/** For pages: redirect to sign-in when nobody valid is signed in, to come back here after. */
export async function requireUser(): Promise<SignedInUser> {
  const user = await currentUser();
  if (user) return user;
  // A session cookie that no longer signs anyone in: the sign-in ended elsewhere, and is said to have.
  const jar = await cookies();
  const ended = SESSION_COOKIES.some((name) => jar.get(name)?.value);
  redirect(loginPathFor((await headers()).get(REQUESTED_PATH_HEADER), { ended }));
}

/** For admin pages: operators get a 404-style refusal, not a hint that the page exists. */
export async function requireRole(role: UserRole): Promise<SignedInUser> {
  const user = await requireUser();
  if (role === 'admin' && user.role !== 'admin') redirect('/?denied=1');
  return user;
}

/** For actions and API routes: throws instead of redirecting. */
export async function assertRole(role: UserRole | 'any'): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) throw new AuthError('unauthenticated');
  if (role === 'admin' && user.role !== 'admin') throw new AuthError('forbidden');
  return user;
}
