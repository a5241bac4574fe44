// What a session cookie must still be to count: its user exists and is enabled, its sessionVersion
// is the user's current one (signing out, a password change, a role change and disabling all bump
// it), and it was signed in less than SESSION_MAX_DAYS ago. Checked on every path that reads a
// cookie: pages and actions (session.ts) and next-auth's own renewal (the jwt callback, options.ts).
import 'server-only';
import type { JWT } from 'next-auth/jwt';
import type { Db } from '@/db/client';
import { bumpSessionVersion, getUserById, type PublicUser } from '@/db/queries/users';
import { env } from '@/lib/env';

/** Our claims in next-auth's JWT: user id, sessionVersion, signed-in-at (seconds since the epoch). */
export interface SessionClaims {
  uid?: number;
  sv?: number;
  sia?: number;
}

export type SessionEnd = 'signed-out' | 'no-user' | 'disabled' | 'revoked' | 'expired';

/** Thrown by the jwt callback: next-auth then clears the cookie instead of renewing it. */
export class SessionEndedError extends Error {
  constructor(readonly reason: SessionEnd) {
    super(`session ended: ${reason}`);
    this.name = 'SessionEndedError';
  }
}

export function newSessionClaims(user: { id: number; sessionVersion: number }, now = new Date()): Required<SessionClaims> {
  return { uid: user.id, sv: user.sessionVersion, sia: Math.floor(now.getTime() / 1000) };
}

export function sessionMaxAgeSeconds(): number {
  return env().SESSION_MAX_DAYS * 24 * 60 * 60;
}

/** Why these claims no longer sign anyone in, or null when they still do. */
export function sessionEndReason(
  token: SessionClaims | JWT | null | undefined,
  user: Pick<PublicUser, 'disabledAt' | 'sessionVersion'> | undefined,
  now = new Date(),
): SessionEnd | null {
  const claims = token as SessionClaims | null | undefined;
  if (!claims?.uid) return 'signed-out';
  if (!user) return 'no-user';
  if (user.disabledAt) return 'disabled';
  if (claims.sv !== user.sessionVersion) return 'revoked';
  // A cookie from before the absolute lifetime existed has no sia: it ends too.
  if (typeof claims.sia !== 'number' || now.getTime() / 1000 - claims.sia > sessionMaxAgeSeconds()) return 'expired';
  return null;
}

/** The signed-in user for these claims, or why there is none. */
export async function checkSession(
  db: Db,
  token: SessionClaims | JWT | null | undefined,
  now = new Date(),
): Promise<{ user: PublicUser; ended: null } | { user: null; ended: SessionEnd }> {
  const claims = token as SessionClaims | null | undefined;
  const user = claims?.uid ? await getUserById(db, { id: claims.uid }) : undefined;
  const ended = sessionEndReason(claims, user, now);
  return ended || !user ? { user: null, ended: ended ?? 'no-user' } : { user, ended: null };
}

/**
 * next-auth's jwt callback: at sign-in the claims are set from the user; on every later read
 * (the session endpoint renews the cookie) they are checked again, and a stale token is refused.
 */
export async function sessionToken(
  db: Db,
  params: { token: JWT; user?: { id: string; sessionVersion?: number } | null },
  now = new Date(),
): Promise<JWT> {
  if (params.user) {
    return { ...params.token, ...newSessionClaims({ id: Number(params.user.id), sessionVersion: params.user.sessionVersion ?? 0 }, now) };
  }
  const { ended } = await checkSession(db, params.token, now);
  if (ended) throw new SessionEndedError(ended);
  return params.token;
}

/** Signing out ends every session of the user, so a copied cookie stops working as well. */
export async function endSessionsOnSignOut(db: Db, token: JWT | null | undefined, now = new Date()): Promise<boolean> {
  const claims = token as SessionClaims | null | undefined;
  const { user, ended } = await checkSession(db, claims, now);
  // An already-ended cookie has nothing left to end (and must not end its successors').
  if (ended) return false;
  return Boolean(await bumpSessionVersion(db, { id: user.id, fromVersion: claims!.sv! }));
}
