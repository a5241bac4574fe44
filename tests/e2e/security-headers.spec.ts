import { expect, test, type APIResponse, type Page } from './fixtures';
import { addStaff, admin, signInAs, signInAsAdmin } from './helpers';

/**
 * Every Content-Security-Policy complaint the page raises (console messages and violation events),
 * and any Permissions-Policy feature the browser does not know.
 */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/content.security.policy|permissions.policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  // A binding and an init script are installed by the browser itself, so the page's CSP cannot block them.
  await page.exposeBinding('__reportCspViolation', (_source, text: string) => violations.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return violations;
}

function expectCommonHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  const permissions = headers['permissions-policy'] ?? '';
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(permissions).toContain(`${feature}=()`);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  // Plain HTTP and no FORCE_HTTPS: no HSTS.
  expect(headers['strict-transport-security']).toBeUndefined();
}

/** The nonce of a page's policy, checking that its scripts carry it and nothing runs without one. */
async function expectPagePolicy(response: APIResponse): Promise<string> {
  const policy = response.headers()['content-security-policy']!;
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  return nonce!;
}

test('login, a signed-in page and a 404 carry the security headers, each page a fresh nonce', async ({ page }) => {
  const login = await page.request.get('/login');
  expect(login.status()).toBe(200);
  expectCommonHeaders(login);
  const firstNonce = await expectPagePolicy(login);
  const again = await page.request.get('/login');
  expect(await expectPagePolicy(again)).not.toBe(firstNonce);

  await signInAsAdmin(page);
  const users = await page.request.get('/users');
  expect(users.status()).toBe(200);
  expectCommonHeaders(users);
  await expectPagePolicy(users);

  const missing = await page.request.get('/no-such-page');
  expect(missing.status()).toBe(404);
  expectCommonHeaders(missing);
  await expectPagePolicy(missing);

  // Not pages: a stylesheet, an API route and the webhook (served outside Next) get the strict policy.
  const stylesheet = /href="(\/_next\/static\/[^"]+\.css)"/.exec(await (await page.request.get('/users')).text())?.[1];
  expect(stylesheet).toBeTruthy();
  for (const path of [stylesheet!, '/api/health', '/api/wechat']) {
    const response = await page.request.get(path);
    expectCommonHeaders(response);
    expect(response.headers()['content-security-policy']).toBe(
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  }
});

// The e2e server trusts one proxy (TRUST_PROXY=true, playwright.config.ts): only the rightmost
// X-Forwarded-Proto entry is that proxy's; anything left of it the client wrote.
test("a client's forged X-Forwarded-Proto does not turn on HSTS; the trusted proxy's entry does", async ({ page }) => {
  const forged = await page.request.get('/login', { headers: { 'x-forwarded-proto': 'https, http' } });
  expect(forged.headers()['strict-transport-security']).toBeUndefined();
  const proxied = await page.request.get('/login', { headers: { 'x-forwarded-proto': 'http, https' } });
  expect(proxied.headers()['strict-transport-security']).toBe('max-age=31536000');
});

test('signing in, the staff page, adding a user, a dialog and the locale switch run with zero CSP violations', async ({
  page,
}) => {
  const violations = await watchCsp(page);
  // Styles loaded: the sign-in button is Tailwind-coloured, not the browser's grey default.
  await page.goto('/login');
  const background = await page.getByRole('button', { name: '登录' }).evaluate((button) => getComputedStyle(button).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
  expect(background).not.toBe('rgb(239, 239, 239)');
  await signInAs(page, admin.email, admin.password);

  const member = { email: 'csp@e2e.test', name: 'Csp', role: '操作员' as const, password: 'csp-password-12' };
  await addStaff(page, member);
  await expect(page.getByTestId(`user-${member.email}`)).toBeVisible();

  // A dialog is client-side React: it opens only if the page's scripts ran.
  await page.getByTestId(`user-${member.email}`).getByRole('button', { name: '停用' }).click();
  const confirm = page.getByRole('dialog', { name: '停用 Csp？' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Staff', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Live queue' }).click();
  await expect(page.getByRole('heading', { name: 'Live queue' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '实时队列' })).toBeVisible();

  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: '找不到该页面' })).toBeVisible();
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible();

  expect(violations).toEqual([]);
});
