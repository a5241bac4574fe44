import { expect, test } from './fixtures';
import { admin, signInAsAdmin } from './helpers';

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });

  test('gets English on the first visit, and keeps a language chosen later', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in to wekf' })).toBeVisible();
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Live queue' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    // The remembered choice wins over what the browser asks for.
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Live queue' })).toBeVisible();
  });

  test('sees an English 404 with a way back', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe('a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test('gets Chinese on the first visit', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: '登录 wekf' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  test('sees a Chinese 404 in the console’s style, with a link home that works when signed in', async ({ page }) => {
    await signInAsAdmin(page);
    const response = await page.goto('/agents/nothing/here');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: '找不到该页面' })).toBeVisible();
    await page.getByRole('link', { name: '返回首页' }).click();
    await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();
  });
});

test('each page has a title of its own, and the first Tab stop skips the navigation', async ({ page }) => {
  await signInAsAdmin(page, '/sessions');
  await expect(page).toHaveTitle('会话记录 · wekf 客服台');
  await page.goto('/agents');
  await expect(page).toHaveTitle('客服人员 · wekf 客服台');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到正文' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test('pages name a favicon that is served, so browsers stop asking for a missing one', async ({ page }) => {
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto('/login');
  const hrefs = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect((await page.request.get(href!)).status()).toBe(200);
  // Asked for by clients that do not read the page's links.
  const ico = await page.request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toMatch(/icon/);
  expect(missing).toEqual([]);
});

test('the sandbox banner shows where the fake WeChat listens', async ({ page }) => {
  await signInAsAdmin(page);
  const address = page.getByTestId('sandbox-wechat-url');
  await expect(address).toHaveText(/^模拟微信地址：http:\/\/127\.0\.0\.1:\d+$/);
  const url = (await address.textContent())!.replace('模拟微信地址：', '');
  // It is the fake WeChat: its token endpoint answers like WeChat's does to a call without credentials.
  const answer = await page.request.get(`${url}/cgi-bin/token`);
  expect(await answer.json()).toMatchObject({ errcode: expect.any(Number) });
});

test.describe('a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('opens the menu from its button and closes it with Escape, the focus back on the button', async ({ page }) => {
    await signInAsAdmin(page);
    const menu = page.getByRole('button', { name: '菜单' });
    const nav = page.locator('#console-nav');
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(nav).toBeVisible();
    await page.getByRole('link', { name: '会话记录' }).focus();
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
  });
});
