// Who a request's session cookie signs in, from the Cookie header alone: for the console's pages and
// actions (session.ts, through Next's cookies()) and for what server.ts serves outside Next (the
// live event stream, lib/server/live-http.ts). The database decides whether the sign-in still counts.
import 'server-only';
import { decode } from 'next-auth/jwt';
import type { Db } from '@/db/client';
import type { PublicUser } from '@/db/queries/users';
import { authSecret } from './secret';
import { checkSession, type SessionClaims } from './session-token';

export type SignedInUser = Pick<PublicUser, 'id' | 'email' | 'name' | 'role' | 'passwordSetByOther'>;

/** next-auth's session cookie; its name depends on https. */
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/** The JWT claims (uid, sv, sia) of a session cookie's value, or null when it is not one of ours. */
export async function claimsOf(token: string | undefined): Promise<SessionClaims | null> {
  if (!token) return null;
  const decoded = await decode({ token, secret: authSecret() }).catch(() => null);
  return decoded as SessionClaims | null;
}

/** The signed-in staff member these claims name, or null when the sign-in no longer counts. */
export async function userOfClaims(db: Db, claims: SessionClaims | null): Promise<SignedInUser | null> {
  if (!claims?.uid) return null;
  const { user } = await checkSession(db, claims);
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, passwordSetByOther: user.passwordSetByOther };
}

/** The session cookie's value in a raw Cookie header. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const jar = new Map<string, string>();
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return SESSION_COOKIES.map((name) => jar.get(name)).find(Boolean);
}

/** Who a raw Cookie header signs in, or null. */
export async function userOfCookieHeader(db: Db, header: string | undefined): Promise<SignedInUser | null> {
  return userOfClaims(db, await claimsOf(sessionCookieOf(header)));
}
