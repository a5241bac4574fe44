// The account page's password change, as the form sends it: a new password equal to the current one
// is refused at its field (it would change nothing yet still end every other sign-in), and so is one
// of spaces only (the Staff page's rule too: lib/forms/password.ts).
import { describe, expect, it } from 'vitest';
import { changePasswordSchema } from '@/app/(console)/account/schemas';
import { newPassword } from '@/lib/forms/password';

describe('change password form', () => {
  it('refuses a new password equal to the current one, at the new password', () => {
    const same = changePasswordSchema.safeParse({ currentPassword: 'old-password-1', newPassword: 'old-password-1', confirmPassword: 'old-password-1' });
    expect(same.success).toBe(false);
    expect(same.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['newPassword', 'account.samePassword']]);
    expect(changePasswordSchema.safeParse({ currentPassword: 'old-password-1', newPassword: 'new-password-2', confirmPassword: 'new-password-2' }).success).toBe(true);
  });

  it('refuses a new password of spaces only, and keeps spaces inside or around a real one', () => {
    const blank = ' '.repeat(12);
    const spaces = changePasswordSchema.safeParse({ currentPassword: 'old-password-1', newPassword: blank, confirmPassword: blank });
    expect(spaces.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['newPassword', 'form.passwordBlank']]);
    expect(newPassword().safeParse('\t \u3000 '.repeat(4)).error?.issues[0]?.message).toBe('form.passwordBlank');
    expect(newPassword().parse(' my long pass ')).toBe(' my long pass ');
    expect(newPassword().safeParse('').error?.issues[0]?.message).toBe('form.required');
  });
});
