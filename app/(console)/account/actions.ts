'use server';
// The signed-in person's own account. Any role may use it; it only ever changes the caller's row.
import { currentDatabase } from '@/db/client';
import { staffAction } from '@/lib/actions';
import { changeOwnPassword, signOutOtherSessions } from '@/lib/auth/account';
import { renewSessionCookie } from '@/lib/auth/session';
import { changePasswordSchema, signOutOthersSchema } from './schemas';

export const changePasswordAction = staffAction(changePasswordSchema, async (input, { user, t }) => {
  const sessionVersion = await changeOwnPassword(currentDatabase().db, user, input);
  await renewSessionCookie(sessionVersion);
  return t('account.passwordChanged');
});

export const signOutOthersAction = staffAction(signOutOthersSchema, async (_input, { user, t }) => {
  const sessionVersion = await signOutOtherSessions(currentDatabase().db, user);
  await renewSessionCookie(sessionVersion);
  return t('account.signedOutOthers');
});
