// The first admin: from ADMIN_EMAIL/ADMIN_PASSWORD, or generated with its password printed once.
import 'server-only';
import type { Db } from '@/db/client';
import { countUsers, createUser, DuplicateEmailError } from '@/db/queries/users';
import { generatePassword, hashPassword } from './password';

export type BootstrapResult =
  | { created: false }
  | { created: true; email: string; generatedPassword?: string };

export async function ensureFirstAdmin(db: Db, params: { email?: string; password?: string }): Promise<BootstrapResult> {
  if ((await countUsers(db)) > 0) return { created: false };
  const email = params.email ?? 'admin@wekf.local';
  const generatedPassword = params.password ? undefined : generatePassword();
  const password = params.password ?? generatedPassword!;
  try {
    // A generated password was printed in the log: its owner is asked to change it.
    await createUser(db, { email, name: nameFromEmail(email), passwordHash: await hashPassword(password), role: 'admin', passwordSetByOther: generatedPassword !== undefined });
  } catch (error) {
    // Another instance created it at the same moment.
    if (error instanceof DuplicateEmailError) return { created: false };
    throw error;
  }
  return { created: true, email, generatedPassword };
}

/** The part before the @, as people are often called at work, in any language; never a fixed English word. */
export function nameFromEmail(email: string): string {
  const local = email.trim().split('@')[0]!.trim();
  return local || email.trim();
}
