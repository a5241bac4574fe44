'use server';
// Staff administration. Every action re-checks the session and the admin role on the server.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentDatabase } from '@/db/client';
import { adminAction } from '@/lib/actions';
import { newPassword } from '@/lib/forms/password';
import { plainName } from '@/lib/forms/text';
import { addStaff, changeStaffRole, resetStaffPassword, setStaffDisabled } from '@/lib/staff/users';

const role = z.enum(['admin', 'operator'], { error: 'form.invalid' });
const password = newPassword();
const userId = z.coerce.number().int().positive();

const addUserSchema = z.object({
  email: z.string().trim().pipe(z.email({ error: 'form.invalidEmail' })).pipe(z.string().max(320, { error: 'form.tooLong' })),
  name: plainName({ max: 80 }),
  role,
  password,
});

export const addUserAction = adminAction(addUserSchema, async (input, { user, t }) => {
  const created = await addStaff(currentDatabase().db, user, input);
  revalidatePath('/users');
  return t('users.added', { email: created.email });
});

export const changeRoleAction = adminAction(z.object({ userId, role }), async (input, { user, t }) => {
  await changeStaffRole(currentDatabase().db, user, input);
  revalidatePath('/users');
  return t('users.updated');
});

export const resetPasswordAction = adminAction(z.object({ userId, password }), async (input, { user, t }) => {
  await resetStaffPassword(currentDatabase().db, user, input);
  return t('users.passwordReset');
});

export const setDisabledAction = adminAction(
  z.object({ userId, disabled: z.stringbool() }),
  async (input, { user, t }) => {
    await setStaffDisabled(currentDatabase().db, user, input);
    revalidatePath('/users');
    return t('users.updated');
  },
);
