import { describe, expect, it } from 'vitest';
import { passwordNamesEmail } from './password';

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
