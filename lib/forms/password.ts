// A new staff password, as the Staff page sets it and the Account page changes it: 10 to 200
// characters, not all of them spaces (ten spaces pass a length rule, and anyone can guess them).
// Messages are catalog keys (lib/actions.ts translates them).
import { z } from 'zod';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function newPassword() {
  return (
    z
      .string({ error: 'form.required' })
      // An empty field says it is required (the first issue per field is the one shown), not too short.
      .min(1, { error: 'form.required' })
      .min(PASSWORD_MIN, { error: 'form.passwordTooShort' })
      .max(PASSWORD_MAX, { error: 'form.tooLong' })
      .refine((v) => v.trim() !== '', { error: 'form.passwordBlank' })
  );
}
