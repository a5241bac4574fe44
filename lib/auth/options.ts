// next-auth configuration: staff sign in with email and password; sessions are signed JWT cookies
// whose user is re-read from the database on every server check and every renewal (session-token.ts).
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { currentDatabase, type Db } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { getUserCredentialsByEmail } from '@/db/queries/users';
import { log } from '@/lib/log';
import { failureSummary } from './failure';
import { verifyAgainstDecoy, verifyPassword } from './password';
import { authSecret } from './secret';
import { endSessionsOnSignOut, SessionEndedError, sessionToken } from './session-token';
import { beginSignInAttempt, endSignInAttempt, lockMinutes } from './throttle';

const authLog = log.child({ module: 'auth' });

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/**
 * Sign-in error codes the login page translates; `throttled:N` carries minutes, `unavailable` means
 * the database could not be asked. next-auth puts the thrown message into the error URL, so nothing
 * else may ever be thrown from authorize.
 */
export type SignInErrorCode = 'invalid' | 'unavailable' | `throttled:${number}`;

export class SignInError extends Error {
  constructor(readonly code: SignInErrorCode) {
    super(code);
    this.name = 'SignInError';
  }
}

/** The client IP as stamped by server.ts (which overwrites any value sent by the browser). */
export const CLIENT_IP_HEADER = 'x-wekf-client-ip';

export async function authorizeCredentials(
  db: Db,
  raw: unknown,
  clientIp: string | null,
): Promise<{ id: string; email: string; name: string; sessionVersion: number }> {
  try {
    return await checkCredentials(db, raw, clientIp);
  } catch (error) {
    if (error instanceof SignInError) throw error;
    // A driver's message carries the query and its parameters (the email): class and code only.
    authLog.error(failureSummary(error), 'sign-in unavailable');
    throw new SignInError('unavailable');
  }
}

async function checkCredentials(db: Db, raw: unknown, clientIp: string | null) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new SignInError('invalid');
  const { email, password } = parsed.data;

  const attempt = await beginSignInAttempt(db, { email, ip: clientIp });
  if (attempt.lockedMinutes > 0) {
    await recordAudit(db, { userId: null, action: 'auth.sign_in_throttled', target: email.slice(0, 320), ip: clientIp });
    throw new SignInError(`throttled:${attempt.lockedMinutes}`);
  }
  if (attempt.delayMs > 0) await sleep(attempt.delayMs);

  const user = await getUserCredentialsByEmail(db, { email });
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
  if (!user || !ok || user.disabledAt) {
    authLog.info({ ip: clientIp }, 'sign-in failed');
    // The typed email is kept (it names whom someone tried), never the password.
    await recordAudit(db, { userId: user?.id ?? null, action: 'auth.sign_in_failed', target: email, ip: clientIp });
    throw new SignInError(attempt.lastBeforeLock ? `throttled:${lockMinutes()}` : 'invalid');
  }
  await endSignInAttempt(db, { email, ip: clientIp });
  await recordAudit(db, { userId: user.id, action: 'auth.sign_in', target: user.email, ip: clientIp });
  authLog.info({ userId: user.id }, 'signed in');
  return { id: String(user.id), email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: authSecret(),
    // Idle expiry: renewed on use, never past the absolute lifetime (SESSION_MAX_DAYS).
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'email',
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        authorize: (credentials, req) => {
          const header = req?.headers?.[CLIENT_IP_HEADER];
          return authorizeCredentials(currentDatabase().db, credentials, typeof header === 'string' ? header : null);
        },
      }),
    ],
    callbacks: {
      jwt: ({ token, user }) => sessionToken(currentDatabase().db, { token, user: user as { id: string; sessionVersion?: number } | undefined }),
    },
    events: {
      signOut: async ({ token }) => {
        await endSessionsOnSignOut(currentDatabase().db, token);
      },
    },
    logger: {
      error: (code, metadata) => {
        if (endedSession(metadata)) authLog.debug({ code }, 'session ended');
        else authLog.warn({ code, ...failureSummary(metadata) }, 'next-auth error');
      },
      warn: (code) => authLog.debug({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
  return options;
}

// next-auth hands the logger a plain copy of the error ({ name, message, stack }), not the error.
function endedSession(metadata: unknown): boolean {
  return metadata instanceof SessionEndedError || (metadata as { name?: unknown } | null)?.name === 'SessionEndedError';
}
