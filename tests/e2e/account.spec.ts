import { expect, test, type Browser } from './fixtures';
import { addStaff, signIn, signInAs, signInAsAdmin } from './helpers';

async function signedInPage(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email, password);
  return { context, page };
}

/** An admin on the Staff page, to add the member the test is about. */
async function signedInAdminPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdmin(page, '/users');
  return { context, page };
}

test('changing my password signs out my other sessions; the old password stops working', async ({ browser }) => {
  const { context: adminContext, page: adminPage } = await signedInAdminPage(browser);
  const me = { email: 'changer@e2e.test', name: '小陈', role: '操作员' as const, password: 'changer-password-1' };
  await addStaff(adminPage, me);

  const { context: laptop, page } = await signedInPage(browser, me.email, me.password);
  const { context: phone, page: otherPage } = await signedInPage(browser, me.email, me.password);

  // The admin chose this password: every page asks its owner to change it.
  await expect(page.getByTestId('password-set-by-other')).toContainText('你的密码是别人设置的');
  await page.getByTestId('password-set-by-other').getByRole('link', { name: '去修改密码' }).click();
  await expect(page.getByRole('heading', { name: '我的账号', level: 1 })).toBeVisible();
  const form = page.getByRole('region', { name: '修改密码' });

  // Empty, each field says so in the console's language (not a browser bubble).
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(form.getByText('必填。')).toHaveCount(3);

  // The current password is checked, and the new one typed twice.
  await form.getByLabel('当前密码').fill('not-my-password');
  await form.getByLabel('新密码', { exact: true }).fill('changer-password-2');
  await form.getByLabel('确认新密码').fill('changer-password-2');
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(form.getByRole('alert')).toHaveText('当前密码不正确。');
  await form.getByLabel('当前密码').fill(me.password);
  await form.getByLabel('新密码', { exact: true }).fill('changer-password-2');
  await form.getByLabel('确认新密码').fill('changer-password-3');
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(form.getByText('两次输入的新密码不一致。')).toBeVisible();

  await form.getByLabel('当前密码').fill(me.password);
  await form.getByLabel('新密码', { exact: true }).fill('changer-password-2');
  await form.getByLabel('确认新密码').fill('changer-password-2');
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(form.getByRole('status')).toHaveText('密码已修改。其他设备上的登录已退出，本浏览器保持登录。');
  await expect(page.getByTestId('password-set-by-other')).toHaveCount(0);
  await expect(form.getByLabel('新密码', { exact: true })).toHaveValue('');

  // This browser stays signed in; the other one is out.
  await page.reload();
  await expect(page.getByRole('heading', { name: '我的账号', level: 1 })).toBeVisible();
  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login\?ended=1$/);

  await signIn(otherPage, me.email, me.password);
  await expect(otherPage.getByRole('alert').filter({ hasText: /./ })).toHaveText('邮箱或密码不正确，或账号已停用。');
  await signInAs(otherPage, me.email, 'changer-password-2');

  // Audited, without the password.
  await adminPage.goto('/audit');
  const row = adminPage.getByRole('row').filter({ hasText: '修改了自己的密码' });
  await expect(row).toContainText(me.email);
  await expect(adminPage.getByText('changer-password-2')).toHaveCount(0);

  await Promise.all([adminContext.close(), laptop.close(), phone.close()]);
});

test('"sign out other sessions" ends the others and keeps this one', async ({ browser }) => {
  const { context: adminContext, page: adminPage } = await signedInAdminPage(browser);
  const me = { email: 'leaver2@e2e.test', name: 'Sam', role: '操作员' as const, password: 'leaver2-password-1' };
  await addStaff(adminPage, me);
  const { context: laptop, page } = await signedInPage(browser, me.email, me.password);
  const { context: phone, page: otherPage } = await signedInPage(browser, me.email, me.password);

  await page.goto('/account');
  const sessions = page.getByRole('region', { name: '其他设备上的登录' });
  await sessions.getByRole('button', { name: '退出其他设备上的登录' }).click();
  await expect(sessions.getByRole('status')).toHaveText('其他设备上的登录已全部退出。');

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login\?ended=1$/);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
  // The same password still signs in: only sessions ended.
  await signInAs(otherPage, me.email, me.password);

  await Promise.all([adminContext.close(), laptop.close(), phone.close()]);
});
