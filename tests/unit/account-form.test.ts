// The account page's password change, as the form sends it: a new password equal to the current one
// is refused at its field (it would change nothing yet still end every other sign-in).
import { describe, expect, it } from 'vitest';
import { changePasswordSchema } from '@/app/(console)/account/schemas';

describe('change password form', () => {
  it('refuses a new password equal to the current one, at the new password', () => {
    const same = changePasswordSchema.safeParse({ currentPassword: 'old-password-1', newPassword: 'old-password-1', confirmPassword: 'old-password-1' });
    expect(same.success).toBe(false);
    expect(same.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['newPassword', 'account.samePassword']]);
    expect(changePasswordSchema.safeParse({ currentPassword: 'old-password-1', newPassword: 'new-password-2', confirmPassword: 'new-password-2' }).success).toBe(true);
  });
});
