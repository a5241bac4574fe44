import { expect, test } from './fixtures';
import { addStaff, addStaffForm, admin, signInAsAdmin } from './helpers';

test('a refused add-user submit keeps email, name and role, but not the password', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  const form = addStaffForm(page);
  await form.getByLabel('邮箱').fill('kept@e2e.test');
  await form.getByLabel('姓名').fill('小李');
  await form.getByLabel('角色').selectOption({ label: '管理员' });
  await form.getByLabel('初始密码').fill('tiny-pw');
  // The action's answer, read on its way to the page: Next's client aborts the action's fetch once it
  // has what it needs, after which Chromium may no longer hand out the body.
  let answered!: (body: string) => void;
  const response = new Promise<string>((resolve) => (answered = resolve));
  await page.route('**/users', async (route) => {
    if (route.request().method() !== 'POST' || route.request().headers()['next-action'] === undefined) return route.fallback();
    const fetched = await route.fetch();
    const body = await fetched.text();
    answered(body);
    await route.fulfill({ response: fetched, body });
  });
  await form.getByRole('button', { name: '添加用户' }).click();
  const body = await response;

  const password = form.getByLabel('初始密码');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/密码至少 10 个字符。/);
  await expect(form.getByRole('alert')).toHaveText('输入有误，请检查。');
  await expect(password).toHaveValue('');
  await expect(form.getByLabel('邮箱')).toHaveValue('kept@e2e.test');
  await expect(form.getByLabel('姓名')).toHaveValue('小李');
  await expect(form.getByLabel('角色')).toHaveValue('admin');
  expect(body).toContain('fieldErrors');
  expect(body).toContain('密码至少 10 个字符。');
  expect(body).not.toContain('tiny-pw');

  await page.reload();
  await expect(page.getByTestId('user-kept@e2e.test')).toHaveCount(0);
});

test('an email already in use is refused beside the email field, which takes the focus', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  const form = addStaffForm(page);
  await form.getByLabel('邮箱').fill(admin.email);
  await form.getByLabel('姓名').fill('Twin');
  await form.getByLabel('初始密码').fill('twin-password-1');
  // Sent from the keyboard: the refused field takes the focus, not the top of the page.
  await form.getByRole('button', { name: '添加用户' }).focus();
  await page.keyboard.press('Enter');

  const email = form.getByLabel('邮箱');
  await expect(email).toHaveAccessibleDescription('该邮箱已被使用。');
  await expect(email).toBeFocused();
  await expect(email).toHaveValue(admin.email);
  await expect(form.getByLabel('初始密码')).toHaveValue('');
  await expect(page.getByTestId(`user-${admin.email}`)).toHaveCount(1);
});

test('disabling asks first; Esc closes the question, returns focus and changes nothing', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  const member = { email: 'stays@e2e.test', name: 'Stays', role: '操作员' as const, password: 'stays-password-1' };
  await addStaff(page, member);

  const row = page.getByTestId(`user-${member.email}`);
  const trigger = row.getByRole('button', { name: '停用' });
  await trigger.click();
  const confirm = page.getByRole('dialog', { name: '停用 Stays？' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: '取消' })).toBeFocused();
  // Tab stays inside the question: from its last button it wraps to the close button, and back.
  const buttons = confirm.getByRole('button');
  await page.keyboard.press('Tab');
  await expect(buttons.last()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: '关闭' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(buttons.last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(trigger).toBeFocused();

  await page.reload();
  await expect(page.getByTestId(`user-${member.email}`).getByText('正常')).toBeVisible();
});

test('a too-short new password is refused inside the reset dialog, which stays open', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  const member = { email: 'reset@e2e.test', name: 'Reset', role: '操作员' as const, password: 'reset-password-1' };
  await addStaff(page, member);

  const row = page.getByTestId(`user-${member.email}`);
  await row.getByRole('button', { name: '重置密码' }).click();
  const dialog = page.getByRole('dialog', { name: '重置 Reset 的密码' });
  const password = dialog.getByLabel('新密码');
  await expect(password).toBeFocused();
  await password.fill('short');
  await dialog.getByRole('button', { name: '重置密码' }).click();
  await expect(password).toHaveAccessibleDescription(/密码至少 10 个字符。/);

  await password.fill('a-much-longer-password');
  await dialog.getByRole('button', { name: '重置密码' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole('status').filter({ hasText: /./ })).toHaveText('密码已重置，该用户需要重新登录。');
});

test('changing a role: the badge and the role field both show the new one, and it can be changed back', async ({ page }) => {
  await signInAsAdmin(page, '/users');
  await addStaff(page, { email: 'promoted@e2e.test', name: 'Promo', role: '操作员', password: 'promoted-password-1' });
  const row = page.getByTestId('user-promoted@e2e.test');
  const role = row.getByLabel('角色');
  for (const [label, value] of [['管理员', 'admin'], ['操作员', 'operator']] as const) {
    await role.selectOption({ label });
    await row.getByRole('button', { name: '修改角色' }).click();
    await expect(row.getByText('已保存。')).toBeVisible();
    await expect(row.getByRole('cell').nth(1)).toContainText(label);
    // The field keeps the role just saved, so pressing the button again changes nothing.
    await expect(role).toHaveValue(value);
  }
});
