import { z } from 'zod';

// Messages are catalog keys (lib/actions.ts translates them). The new password follows the Staff
// page's rule: 10 to 200 characters.
export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'form.required' }).min(1, { error: 'form.required' }).max(1024, { error: 'form.tooLong' }),
    // An empty field says it is required (the first issue per field is the one shown), not too short.
    newPassword: z
      .string({ error: 'form.required' })
      .min(1, { error: 'form.required' })
      .min(10, { error: 'form.passwordTooShort' })
      .max(200, { error: 'form.tooLong' }),
    confirmPassword: z.string({ error: 'form.required' }).min(1, { error: 'form.required' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], error: 'form.passwordMismatch' })
  // A change that changes nothing would still end every other sign-in: said instead.
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], error: 'account.samePassword' });

export const signOutOthersSchema = z.object({});
