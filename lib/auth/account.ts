// A staff member's own account: change the password (knowing the current one) and sign out their
// other browsers. Both bump sessionVersion, which ends every other sign-in at once; the action then
// re-issues this browser's cookie with the new version (renewSessionCookie in session.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@/db/client';
import { recordAudit } from '@/db/queries/audit-log';
import { bumpSessionVersion, getUserCredentialsByEmail, updateUser } from '@/db/queries/users';
import { DomainError, PublicActionError } from '@/lib/errors';
import { passwordNamesEmail } from '@/lib/forms/password';
import { hashPassword, verifyPassword } from './password';
import { beginSignInAttempt, endSignInAttempt } from './throttle';

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
  if (passwordNamesEmail(params.newPassword, self.email)) throw new DomainError('form.passwordNamesEmail', {}, { field: 'newPassword' });
  // Throttled like sign-in (counted first, then checked), so a borrowed session is no way to guess
  // the password.
  const attempt = await beginSignInAttempt(db, { email: self.email, ip: null });
  if (attempt.lockedMinutes > 0) throw new PublicActionError('account.throttled');
  if (attempt.delayMs > 0) await sleep(attempt.delayMs);
  const user = await getUserCredentialsByEmail(db, { email: self.email });
  if (!user || user.id !== self.id) throw new PublicActionError('error.notFound');
  if (!(await verifyPassword(user.passwordHash, params.currentPassword))) {
    // On the audit page beside failed sign-ins: a wrong current password may be someone else at an
    // unattended, signed-in browser.
    await recordAudit(db, { userId: self.id, action: 'account.password_change_refused', target: user.email });
    throw new PublicActionError('account.wrongPassword');
  }
  await endSignInAttempt(db, { email: self.email, ip: null });
  const passwordHash = await hashPassword(params.newPassword);
  return db.transaction(async (tx) => {
    const updated = await updateUser(tx, { id: self.id, passwordHash, passwordSetByOther: false });
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
