import { describe, expect, it } from 'vitest';
import { newPassword, passwordNamesEmail, tooSimple } from './password';

describe('passwordNamesEmail', () => {
  it('refuses the address itself, or its name with only digits and signs around it', () => {
    for (const password of ['lead@corp.example', 'LEAD@corp.example!', 'my-lead@corp.example-pw', 'support.lead2026', '2026Support.Lead!', ' support.lead ']) {
      expect(passwordNamesEmail(password, password.toLowerCase().includes('@') ? 'lead@corp.example' : 'support.lead@corp.example'), password).toBe(true);
    }
  });

  it('takes a password that only shares a word with the address', () => {
    expect(passwordNamesEmail('dave-password', 'dave@x.test')).toBe(false);
    expect(passwordNamesEmail('correct horse battery', 'horse@x.test')).toBe(false);
    expect(passwordNamesEmail('long-unrelated-1', 'lead@corp.example')).toBe(false);
    // A name of letters guessed within a longer word still leaves letters: taken.
    expect(passwordNamesEmail('annabelle-2026', 'ann@x.test')).toBe(false);
  });
});

describe('tooSimple', () => {
  it('refuses repeated characters and runs of digits, keyboard rows or the alphabet', () => {
    for (const password of ['1111111111', 'ababababab', '1234567890', '0987654321', 'QWERTYUIOP', 'abcdefghijk', 'password123', 'Admin2026!', 'kefu888888', '1q2w3e4r5t6y']) {
      expect(tooSimple(password), password).toBe(true);
    }
    for (const password of ['e2e-admin-password', 'correct horse', 'kefu-team-lead-7', 'erin-first-pass']) expect(tooSimple(password), password).toBe(false);
  });

  it('is one of the new password’s rules, said beside the field', () => {
    const result = newPassword().safeParse('1234567890');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['form.passwordTooSimple']);
  });
});
