import { expect, test } from './fixtures';
import { addStaff, signIn, signInAs, signInAsAdmin } from './helpers';

// The server runs with TRUST_PROXY=true (playwright.config.ts): one proxy in front, which appends
// the address it was called from to X-Forwarded-For. These contexts play what that proxy forwards.
const ownerAddress = '203.0.113.10';
const attackerAddress = '198.51.100.66';

test('a forged X-Forwarded-For cannot lock the owner out', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage, '/users');
  const owner = { email: 'owner@e2e.test', name: 'Owner', role: '管理员' as const, password: 'owner-password-1' };
  await addStaff(adminPage, owner);
  await adminContext.close();

  // The attacker writes the owner's address; the proxy appends the attacker's real one.
  const attackerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': `${ownerAddress}, ${attackerAddress}` } });
  const attacker = await attackerContext.newPage();
  for (let i = 0; i < 4; i++) {
    await signIn(attacker, owner.email, `guess-${i}`);
    await expect(attacker.getByRole('alert').filter({ hasText: /./ })).toHaveText('邮箱或密码不正确，或账号已停用。');
  }
  await signIn(attacker, owner.email, 'guess-4');
  await expect(attacker.getByRole('alert').filter({ hasText: /./ })).toHaveText('失败次数过多，请 15 分钟后再试。');
  // Locked from there, even with the right password.
  await signIn(attacker, owner.email, owner.password);
  await expect(attacker.getByRole('alert').filter({ hasText: /./ })).toHaveText(/^失败次数过多/);

  const ownerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': ownerAddress } });
  await signInAs(await ownerContext.newPage(), owner.email, owner.password);
  await Promise.all([attackerContext.close(), ownerContext.close()]);
});
