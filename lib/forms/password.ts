// A new staff password, as the Staff page sets it and the Account page changes it: 10 to 200
// characters, not all of them spaces (ten spaces pass a length rule, and anyone can guess them), and
// not a run a guesser tries first (1111111111, 1234567890).
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
      .refine((v) => v.trim() === '' || !tooSimple(v), { error: 'form.passwordTooSimple' })
  );
}

// Runs a guesser tries first: digits, the keyboard's rows, the alphabet, each either way.
const RUNS = ['01234567890', 'qwertyuiopasdfghjklzxcvbnm', 'abcdefghijklmnopqrstuvwxyz'].flatMap((run) => [run, [...run].reverse().join('')]);

// Words a guesser tries first, with digits and signs around them (password123, admin2026!, kefu888888).
const COMMON_WORDS = new Set(['password', 'passwd', 'admin', 'administrator', 'welcome', 'iloveyou', 'letmein', 'qwerty', 'abc', 'wekf', 'kefu', 'weixin', 'wechat', 'woaini']);

/**
 * Fewer than 4 different characters (1111111111, ababababab), one run of the keyboard or alphabet
 * (1234567890, qwertyuiop), or a common word with only digits and signs besides (password123).
 */
export function tooSimple(password: string): boolean {
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^\p{L}]/gu, '');
  return new Set(lower).size < 4 || RUNS.some((run) => run.includes(lower)) || COMMON_WORDS.has(letters);
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
