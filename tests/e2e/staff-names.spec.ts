import { expect, test } from './fixtures';
import { addStaffForm, signInAsAdmin } from './helpers';

test('a name with a right-to-left override is refused beside the name field, and no one is added', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  const form = addStaffForm(page);
  await form.getByLabel('邮箱').fill('rlo@e2e.test');
  await form.getByLabel('姓名').fill('evil\u202Etxt.exe');
  await form.getByLabel('初始密码').fill('rlo-password-123');
  await form.getByRole('button', { name: '添加用户' }).click();

  const name = form.getByLabel('姓名');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('不能包含控制字符或改变文字方向的字符（发现 U+202E）。');
  await expect(form.getByRole('alert')).toHaveText('输入有误，请检查。');

  await page.reload();
  await expect(page.getByTestId('user-rlo@e2e.test')).toHaveCount(0);
});
