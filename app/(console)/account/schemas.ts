import { z } from 'zod';
import { newPassword } from '@/lib/forms/password';

// Messages are catalog keys (lib/actions.ts translates them). The new password follows the Staff
// page's rule (lib/forms/password.ts).
export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'form.required' }).min(1, { error: 'form.required' }).max(1024, { error: 'form.tooLong' }),
    newPassword: newPassword(),
    confirmPassword: z.string({ error: 'form.required' }).min(1, { error: 'form.required' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], error: 'form.passwordMismatch' })
  // A change that changes nothing would still end every other sign-in: said instead.
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], error: 'account.samePassword' });

export const signOutOthersSchema = z.object({});
