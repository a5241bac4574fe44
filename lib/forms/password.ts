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

/**
 * Whether a password is its owner's email address (or holds it whole), or the name before its @
 * with only digits and signs around it (dave2026!): the first guesses of anyone who knows whose
 * account it is.
 */
export function passwordNamesEmail(password: string, email: string): boolean {
  const pass = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (pass.includes(address)) return true;
  const name = address.split('@')[0] ?? '';
  const at = name.length > 0 ? pass.indexOf(name) : -1;
  if (at === -1) return false;
  const rest = pass.slice(0, at) + pass.slice(at + name.length);
  return !/\p{L}/u.test(rest);
}
