import { expect, test } from './fixtures';
import { addStaff, addStaffForm, admin, signIn, signInAs, signInAsAdmin, signOut } from './helpers';

test('admin signs in and sees the console with their name', async ({ page }) => {
  await signInAs(page, admin.email, admin.password);
  // Named from the email, in any language, not "Admin".
  await expect(page.getByTestId('signed-in-user')).toHaveText('admin');
  await expect(page.getByRole('link', { name: '后台用户' })).toBeVisible();
  const health = await page.request.get('/api/health');
  const body = (await health.json()) as { jobs: { name: string; failing: boolean }[] };
  expect(body).toMatchObject({ status: 'ok', db: 'pglite', mode: 'sandbox' });
  expect(Array.isArray(body.jobs)).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: '沙盒模式' })).toBeVisible();
});

test('signing in goes on to the page that was asked for, and never to another site', async ({ page }) => {
  await page.goto('/sessions?status=expired');
  await expect(page).toHaveURL(/\/login\?next=%2Fsessions%3Fstatus%3Dexpired$/);
  await page.getByLabel('邮箱').fill(admin.email);
  await page.getByLabel('密码').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/sessions\?status=expired$/);
  await expect(page.getByRole('heading', { name: '会话记录' })).toBeVisible();

  // Signed in already, a crafted link to another site lands on the Live page.
  await page.goto('/login?next=//evil.test/');
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});

test('a wrong password shows an error and does not sign in', async ({ page }) => {
  await signIn(page, admin.email, 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText('邮箱或密码不正确，或账号已停用。');
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('an empty form is asked to be filled, without an attempt', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText('请输入邮箱和密码。');
});

test('an unknown account gets the same error as a wrong password', async ({ page }) => {
  await signIn(page, 'nobody@e2e.test', 'whatever-password');
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText('邮箱或密码不正确，或账号已停用。');
});

test('sign out ends the session', async ({ page }) => {
  await signInAs(page, admin.email, admin.password);
  await signOut(page);
  await page.goto('/users');
  // Sent to sign in, to come back to the page asked for.
  await expect(page).toHaveURL(/\/login\?next=%2Fusers$/);
});

test('signing out revokes the cookie: a copy of it taken before is sent to sign in', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, admin.email, admin.password);
  const copied = await context.cookies();
  expect(copied.map((c) => c.name)).toContain('next-auth.session-token');

  // The confirmation says every sign-in ends, not only this browser's.
  await page.getByRole('button', { name: '退出登录' }).click();
  const confirm = page.getByRole('dialog', { name: '退出登录？' });
  await expect(confirm).toContainText('所有设备和浏览器上的登录都会结束');
  await confirm.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto('/users');
  // A cookie that no longer signs anyone in: the sign-in page says the sign-in ended.
  await expect(stolen).toHaveURL(/\/login\?next=%2Fusers&ended=1$/);
  await expect(stolen.getByRole('status').filter({ hasText: '你的登录已结束' })).toBeVisible();
  // Nor does the session endpoint renew it.
  const session = await stolen.request.get('/api/auth/session');
  expect(await session.json()).toEqual({});
  await Promise.all([context.close(), thief.close()]);
});

test('English can be chosen and is remembered', async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Live queue' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Staff' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
});

test('an operator cannot open the Staff page or call its actions', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage, '/users');
  const operator = { email: 'operator@e2e.test', name: '小王', role: '操作员' as const, password: 'operator-password-1' };
  await addStaff(adminPage, operator);

  // Record what the browser sends when an admin adds someone, to replay it as the operator.
  const form = addStaffForm(adminPage);
  await form.getByLabel('邮箱').fill('second@e2e.test');
  await form.getByLabel('姓名').fill('Second');
  await form.getByLabel('初始密码').fill('second-password-1');
  const [actionRequest] = await Promise.all([
    adminPage.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined),
    form.getByRole('button', { name: '添加用户' }).click(),
  ]);
  await expect(adminPage.getByText('已添加 second@e2e.test。')).toBeVisible();

  const operatorContext = await browser.newContext();
  const operatorPage = await operatorContext.newPage();
  await signInAs(operatorPage, operator.email, operator.password);
  await expect(operatorPage.getByRole('link', { name: '后台用户' })).toHaveCount(0);
  await operatorPage.goto('/users');
  await expect(operatorPage).toHaveURL(/\/\?denied=1$/);
  await expect(operatorPage.getByRole('alert').filter({ hasText: /./ })).toHaveText('你没有权限访问该页面。');

  // The same action, called by the operator with a changed email, is refused on the server.
  const body = actionRequest.postDataBuffer()!.toString('latin1').replace('second@e2e.test', 'sneaky@e2e.test');
  const response = await operatorPage.request.post('/users', {
    headers: {
      'next-action': actionRequest.headers()['next-action']!,
      'content-type': actionRequest.headers()['content-type']!,
      accept: 'text/x-component',
    },
    data: Buffer.from(body, 'latin1'),
  });
  expect(await response.text()).toContain('只有管理员可以执行此操作。');
  await adminPage.goto('/users');
  await expect(adminPage.getByTestId('user-second@e2e.test')).toBeVisible();
  await expect(adminPage.getByTestId('user-sneaky@e2e.test')).toHaveCount(0);

  await adminContext.close();
  await operatorContext.close();
});

test('a disabled staff member is signed out and cannot sign in again', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage, '/users');
  const member = { email: 'leaver@e2e.test', name: 'Leaver', role: '操作员' as const, password: 'leaver-password-1' };
  await addStaff(adminPage, member);

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signInAs(memberPage, member.email, member.password);
  await memberPage.goto('/account');

  const row = adminPage.getByTestId(`user-${member.email}`);
  await row.getByRole('button', { name: '停用' }).click();
  const confirm = adminPage.getByRole('dialog', { name: '停用 Leaver？' });
  await confirm.getByRole('button', { name: '停用' }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText('已停用')).toBeVisible();

  // Their open page's next action finds them signed out, and takes them to sign in.
  const form = memberPage.getByRole('region', { name: '修改密码' });
  await form.getByLabel('当前密码').fill(member.password);
  await form.getByLabel('新密码', { exact: true }).fill('leaver-password-2');
  await form.getByLabel('确认新密码').fill('leaver-password-2');
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(memberPage).toHaveURL(/\/login\?next=%2Faccount&ended=1$/);
  const endedNotice = memberPage.getByRole('status').filter({ hasText: '你的登录已结束' });
  await expect(endedNotice).toBeVisible();
  // Trying again from that page: the refusal stands alone, not beneath the notice.
  await memberPage.getByLabel('邮箱').fill(member.email);
  await memberPage.getByLabel('密码').fill(member.password);
  await memberPage.getByRole('button', { name: '登录' }).click();
  await expect(memberPage.getByRole('alert').filter({ hasText: /./ })).toHaveText('邮箱或密码不正确，或账号已停用。');
  await expect(endedNotice).toHaveCount(0);
  await adminContext.close();
  await memberContext.close();
});

test('a sign-in submitted before the page has hydrated never puts the password in the address', async ({ browser }) => {
  // Without JavaScript the form submits natively, as a slow phone does if tapped before the script runs.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(admin.email);
  await page.getByLabel('密码').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState();
  expect(page.url()).not.toContain(encodeURIComponent(admin.password));
  expect(page.url()).not.toContain('password');
  await context.close();
});
