// next-auth configuration: staff sign in with email and password; sessions are signed JWT cookies
// whose user is re-read from the database on every server check (see session.ts).
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { currentDatabase, type Db } from '@/db/client';
import { getUserCredentialsByEmail } from '@/db/queries/users';
import { log } from '@/lib/log';
import { verifyAgainstDecoy, verifyPassword } from './password';
import { authSecret } from './secret';
import { minutesLocked, noteFailedSignIn, noteSuccessfulSignIn } from './throttle';

const authLog = log.child({ module: 'auth' });

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Sign-in error codes the login page translates; `throttled:N` carries minutes. */
export type SignInErrorCode = 'invalid' | `throttled:${number}`;

/** The client IP as stamped by server.ts (which overwrites any value sent by the browser). */
export const CLIENT_IP_HEADER = 'x-wekf-client-ip';

export async function authorizeCredentials(
  db: Db,
  raw: unknown,
  clientIp: string | null,
): Promise<{ id: string; email: string; name: string; sessionVersion: number }> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new Error('invalid' satisfies SignInErrorCode);
  const { email, password } = parsed.data;

  const locked = await minutesLocked(db, { email, ip: clientIp });
  if (locked > 0) throw new Error(`throttled:${locked}` satisfies SignInErrorCode);

  const user = await getUserCredentialsByEmail(db, { email });
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
  if (!user || !ok || user.disabledAt) {
    await noteFailedSignIn(db, { email, ip: clientIp });
    authLog.info({ ip: clientIp }, 'sign-in failed');
    const nowLocked = await minutesLocked(db, { email, ip: clientIp });
    throw new Error(nowLocked > 0 ? `throttled:${nowLocked}` : 'invalid');
  }
  await noteSuccessfulSignIn(db, { email });
  authLog.info({ userId: user.id }, 'signed in');
  return { id: String(user.id), email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: authSecret(),
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
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        return token;
      },
    },
    logger: {
      error: (code) => authLog.warn({ code }, 'next-auth error'),
      warn: (code) => authLog.debug({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
  return options;
}
