// A staff member's own account: change the password (knowing the current one) and sign out their
// other browsers. Both bump sessionVersion, which ends every other sign-in at once; the action then
// re-issues this browser's cookie with the new version (renewSessionCookie in session.ts).
import type { Db } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { bumpSessionVersion, getUserCredentialsByEmail, updateUser } from '@/db/queries/users';
import { PublicActionError } from '@/lib/errors';
import { hashPassword, verifyPassword } from './password';
import { minutesLocked, noteFailedSignIn } from './throttle';

interface Self {
  id: number;
  email: string;
}

/** Returns the new sessionVersion. */
export async function changeOwnPassword(
  db: Db,
  self: Self,
  params: { currentPassword: string; newPassword: string },
): Promise<number> {
  // The sign-in lock applies here too, so a borrowed session is no way to guess the password.
  if ((await minutesLocked(db, { email: self.email, ip: null })) > 0) throw new PublicActionError('account.throttled');
  const user = await getUserCredentialsByEmail(db, { email: self.email });
  if (!user || user.id !== self.id) throw new PublicActionError('error.notFound');
  if (!(await verifyPassword(user.passwordHash, params.currentPassword))) {
    await noteFailedSignIn(db, { email: self.email, ip: null });
    throw new PublicActionError('account.wrongPassword');
  }
  const passwordHash = await hashPassword(params.newPassword);
  return db.transaction(async (tx) => {
    const updated = await updateUser(tx, { id: self.id, passwordHash });
    if (!updated) throw new PublicActionError('error.notFound');
    await recordAudit(tx, { userId: self.id, action: 'account.password_change', target: updated.email });
    return updated.sessionVersion;
  });
}

/** Returns the new sessionVersion. */
export async function signOutOtherSessions(db: Db, self: Self): Promise<number> {
  return db.transaction(async (tx) => {
    const updated = await bumpSessionVersion(tx, { id: self.id });
    if (!updated) throw new PublicActionError('error.notFound');
    await recordAudit(tx, { userId: self.id, action: 'account.sign_out_others', target: updated.email });
    return updated.sessionVersion;
  });
}
