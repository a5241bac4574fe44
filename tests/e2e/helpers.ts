import { expect, type Cookie, type Page } from '@playwright/test';

export const admin = { email: 'admin@e2e.test', password: 'e2e-admin-password' };

/** The sandbox's fake WeChat (playwright.config.ts puts it on the port after the console's). */
export const simUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210) + 1}`;

/** Plays WeChat's side through the fake's control API: a follower's text, an agent's action… */
export async function sim(path: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${simUrl}/__sim/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`fake WeChat ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export async function simGet(path: string): Promise<unknown> {
  const response = await fetch(`${simUrl}/__sim/${path}`);
  if (!response.ok) throw new Error(`fake WeChat ${path}: ${response.status}`);
  return response.json();
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export async function signInAs(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
}

// The admin's session cookie from the last sign-in through the form, in this worker.
let adminSession: Cookie[] | undefined;

/**
 * Signs the page in as the e2e admin and leaves it on `path` (the Live page unless told), but
 * through the form only when needed: a session signed in earlier is reused while the server still
 * takes it. A sign-in is a hash check and two page loads (about a second); most tests only need an
 * admin. Tests that start on another page name it, which saves loading the Live page first.
 * Signing the admin out (some tests do) ends every admin session, and the next caller signs in anew.
 * Tests about signing in use signIn and signInAs.
 */
export async function signInAsAdmin(page: Page, path = '/') {
  const context = page.context();
  if (adminSession) {
    await context.addCookies(adminSession);
    const session = (await (await page.request.get('/api/auth/session')).json()) as { user?: { email?: string } };
    if (session.user?.email === admin.email) {
      await openAsAdmin(page, path);
      return;
    }
    await context.clearCookies();
  }
  await signInAs(page, admin.email, admin.password);
  adminSession = (await context.cookies()).filter((cookie) => cookie.name.includes('next-auth.session-token'));
  if (path !== '/') await openAsAdmin(page, path);
}

async function openAsAdmin(page: Page, path: string) {
  await page.goto(path);
  if (path === '/') await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
  // The console's own page, as the admin (its layout names who is signed in), not the sign-in form.
  else await expect(page.getByTestId('signed-in-user')).toHaveText('admin');
}

/** Signs out through the console's button and its confirmation. */
export async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('dialog', { name: '退出登录？' }).getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** Adds a staff member through the Staff page (opened unless the page is on it), as a signed-in admin. */
export async function addStaff(page: Page, user: { email: string; name: string; role: '管理员' | '操作员'; password: string }) {
  if (new URL(page.url()).pathname !== '/users') await page.goto('/users');
  const form = addStaffForm(page);
  await form.getByLabel('邮箱').fill(user.email);
  await form.getByLabel('姓名').fill(user.name);
  await form.getByLabel('角色').selectOption({ label: user.role });
  await form.getByLabel('初始密码').fill(user.password);
  await form.getByRole('button', { name: '添加用户' }).click();
  await expect(page.getByText(`已添加 ${user.email}。`)).toBeVisible();
}

export function addStaffForm(page: Page) {
  return page.getByRole('region', { name: '添加用户' });
}
