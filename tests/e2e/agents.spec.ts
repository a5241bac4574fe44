// The Agents page against the sandbox's fake WeChat, which starts with two agents (小王 online,
// 小李 offline): sync, invite, binding by QR scan, and what an operator may do.
import { expect, test, type Page } from './fixtures';
import { addStaff, signInAs, signInAsAdmin, sim, simGet } from './helpers';

const suffix = 'wekf_sim';

async function openAgents(page: Page) {
  await signInAsAdmin(page, '/agents');
  await expect(page.getByRole('heading', { name: '客服人员' })).toBeVisible();
}

test('the account\'s existing agents are there after start, with who is online, and "Sync now" reports them', async ({ page, request }) => {
  await openAgents(page);
  const xiaowang = page.getByTestId(`agent-xiaowang@${suffix}`);
  await expect(xiaowang).toContainText('小王');
  await expect(xiaowang).toContainText('已绑定微信号');
  await expect(xiaowang).toContainText('在线 · 接待中 0');
  await expect(xiaowang).toContainText('暂不提醒：wekf 还不知道该客服的 openid');
  await expect(page.getByTestId(`agent-xiaoli@${suffix}`)).toContainText('离线');

  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByText(/已同步：\d+ 个账号/)).toBeVisible();
  const health = (await (await page.request.get('/api/health')).json()) as { jobs: { name: string; failing: boolean }[] };
  expect(health.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'agent-sync', failing: false })]));

  // The pages' online heartbeat: for the console's own signed-in pages only.
  const online = await page.request.post('/api/online', { headers: { 'sec-fetch-site': 'same-origin' } });
  expect(online.status()).toBe(200);
  expect(await online.json()).toEqual({ refreshed: expect.any(Boolean) });
  expect((await page.request.post('/api/online', { headers: { 'sec-fetch-site': 'cross-site' } })).status()).toBe(403);
  expect((await request.post('/api/online')).status()).toBe(401);
});

test('an invited colleague who accepts in WeChat shows as bound after a sync', async ({ page }) => {
  await openAgents(page);
  const form = page.getByRole('region', { name: '邀请客服' });
  await expect(form.getByLabel('公众号微信号')).toHaveValue(suffix);
  await form.getByLabel('账号前缀').fill('neo');
  await form.getByLabel('昵称').fill('Neo');
  await form.getByLabel('同事的微信号').fill('bad id');
  await form.getByRole('button', { name: '创建并邀请' }).click();
  await expect(form.getByText('微信号格式不对')).toBeVisible();

  await form.getByLabel('同事的微信号').fill('neo_worker');
  await form.getByRole('button', { name: '创建并邀请' }).click();
  await expect(form.getByText(`已创建 neo@${suffix}，并向 neo_worker 发送了邀请。`)).toBeVisible();
  const row = page.getByTestId(`agent-neo@${suffix}`);
  await expect(row).toContainText('邀请中');
  await expect(row).toContainText('过期');

  // The colleague accepts the invitation in their WeChat, played from the sandbox page.
  await page.goto('/sandbox');
  await page.getByRole('button', { name: 'Neo · 在微信中接受邀请' }).click();
  const neo = page.getByRole('article', { name: 'Neo' });
  await expect(neo.getByRole('button', { name: /Neo · 上线/ })).toBeVisible();
  // Offline, Neo cannot take anyone: the fake's refusal reads in the page's language.
  await neo.getByRole('button', { name: 'Neo · 接入下一位' }).click();
  await expect(neo.getByText('模拟微信拒绝了操作：这位客服不在线')).toBeVisible();
  await page.goto('/agents');
  await expect(row).toContainText('已绑定');
  await expect(row).toContainText('neo_worker');
});

test('a sandbox follower scans the binding QR code the Agents page shows, and becomes the agent\'s openid', async ({ page }) => {
  await openAgents(page);
  const row = page.getByTestId(`agent-xiaoli@${suffix}`);
  await row.getByRole('button', { name: '绑定' }).click();
  const dialog = page.getByRole('dialog', { name: '绑定 小李 的 openid' });
  await dialog.getByRole('button', { name: '生成二维码' }).click();
  await expect(dialog.getByText('等待客服操作')).toBeVisible();

  // In another tab, the sandbox plays 小李 holding her phone to the code.
  const sandbox = await page.context().newPage();
  await sandbox.goto('/sandbox');
  await sandbox.getByLabel('粉丝名字').fill('李的手机');
  await sandbox.getByRole('button', { name: '添加粉丝' }).click();
  const phone = sandbox.getByTestId('follower-李的手机');
  await phone.getByRole('button', { name: '扫描绑定二维码' }).click();
  await expect(phone).toContainText('已绑定客服账号 小李');
  await expect(dialog.getByText('已绑定。')).toBeVisible({ timeout: 5000 });
  await sandbox.close();
});

test('an agent scans the binding QR code with WeChat and the page says bound by itself', async ({ page }) => {
  await openAgents(page);
  const row = page.getByTestId(`agent-xiaowang@${suffix}`);
  await row.getByRole('button', { name: '绑定' }).click();
  const dialog = page.getByRole('dialog', { name: '绑定 小王 的 openid' });
  const askedAt = Date.now();
  await dialog.getByRole('button', { name: '生成二维码' }).click();
  await expect(dialog.getByRole('img', { name: '绑定二维码' })).toBeVisible();
  await expect(dialog.getByText('等待客服操作')).toBeVisible();
  // It expires in ten minutes, said at the service's time (Asia/Shanghai), as the page around it.
  const serviceTime = (at: number) => new Intl.DateTimeFormat('zh-CN', { timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(at);
  const waiting = await dialog.getByText('等待客服操作').textContent();
  expect([serviceTime(askedAt + 600_000), serviceTime(Date.now() + 600_000)].map((time) => `（有效至 ${time}）`).some((end) => waiting?.endsWith(end))).toBe(true);

  const calls = (await simGet(`calls?path=${encodeURIComponent('/cgi-bin/qrcode/create')}`)) as { body: { action_info: { scene: { scene_str: string } } } }[];
  const scene = calls.at(-1)!.body.action_info.scene.scene_str;
  const openid = 'o_xiaowang_phone_0000000000000';
  const scanned = (await sim(`followers/${openid}/scan`, { scene })) as { reply?: { text?: string } };
  expect(JSON.stringify(scanned)).toContain('已绑定客服账号 小王');
  await expect(dialog.getByText('已绑定。')).toBeVisible({ timeout: 5000 });
  await dialog.getByRole('button', { name: '关闭' }).click();
  // Bound, and the scan itself lets the account message her for a minute (3 sends, PROTOCOL.md §6.7);
  // her own message then opens the 48 hours.
  await expect(row).toContainText(openid);
  await expect(row).toContainText('可以提醒（openid 已绑定，扫码）');
  await sim(`followers/${openid}/text`, { text: '你好' });
  await page.reload();
  await expect(row).toContainText('可以提醒（openid 已绑定，扫码）');

  // Unbinding says so in the dialog, and the typed openid's box no longer shows the old one.
  await row.getByRole('button', { name: '更换 openid' }).click();
  await dialog.getByRole('tab', { name: '手动填写' }).click();
  await expect(dialog.getByLabel('openid', { exact: true })).toHaveValue(openid);
  await dialog.getByRole('button', { name: '解除绑定' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: '已解除绑定。' })).toBeVisible();
  await expect(dialog.getByLabel('openid', { exact: true })).toHaveValue('');
  await dialog.getByRole('button', { name: '关闭' }).click();
  await expect(row).not.toContainText(openid);
});

test('an operator sees the agents without controls, and a replayed admin action is refused', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage, '/users');
  const operator = { email: 'agents-operator@e2e.test', name: '小赵', role: '操作员' as const, password: 'operator-password-2' };
  await addStaff(adminPage, operator);
  await adminPage.goto('/agents');

  // Neo, invited in the test above (the demo agents keep their names for the sandbox's own tests).
  const neo = adminPage.getByTestId(`agent-neo@${suffix}`);
  await neo.getByRole('button', { name: '编辑' }).click();
  const dialog = adminPage.getByRole('dialog', { name: '编辑 Neo' });
  await dialog.getByLabel('昵称').fill('Neo Li');
  const [request] = await Promise.all([
    adminPage.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined),
    dialog.getByRole('button', { name: '保存' }).click(),
  ]);
  await expect(adminPage.getByTestId(`agent-neo@${suffix}`)).toContainText('Neo Li');

  const operatorContext = await browser.newContext();
  const operatorPage = await operatorContext.newPage();
  await signInAs(operatorPage, operator.email, operator.password);
  await operatorPage.goto('/agents');
  await expect(operatorPage.getByText('你是操作员：可以查看客服，管理员才能修改。')).toBeVisible();
  await expect(operatorPage.getByTestId(`agent-xiaowang@${suffix}`)).toBeVisible();
  await expect(operatorPage.getByRole('button', { name: '编辑' })).toHaveCount(0);
  await expect(operatorPage.getByRole('button', { name: '立即同步' })).toHaveCount(0);
  await expect(operatorPage.getByRole('region', { name: '邀请客服' })).toHaveCount(0);

  const body = request.postDataBuffer()!.toString('utf8').replace('Neo Li', 'Hijacked');
  const response = await operatorPage.request.post('/agents', {
    headers: { 'next-action': request.headers()['next-action']!, 'content-type': request.headers()['content-type']!, accept: 'text/x-component' },
    data: Buffer.from(body, 'utf8'),
  });
  expect(await response.text()).toContain('只有管理员可以执行此操作。');
  await adminPage.reload();
  await expect(adminPage.getByTestId(`agent-neo@${suffix}`)).toContainText('Neo Li');
  await expect(operatorPage.getByText('Hijacked')).toHaveCount(0);
  await adminContext.close();
  await operatorContext.close();
});

test('an avatar of a few megabytes, as WeChat takes, uploads from the Agents page; a larger one is refused beside its field', async ({ page }) => {
  await openAgents(page);
  await page.getByTestId(`agent-xiaoli@${suffix}`).getByRole('button', { name: '头像' }).click();
  const dialog = page.getByRole('dialog');
  // A 640×640 JPEG's header, padded to 1.6 MB: above the 1 MB a console action takes by default.
  const header = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x80, 0x02, 0x80, 0x03, 0, 0, 0, 0];
  // 8 MB is over what the server takes at all: refused beside the field, and the page stays.
  const tooLarge = Buffer.concat([Buffer.from(header), Buffer.alloc(8 * 1024 * 1024)]);
  await dialog.getByLabel('头像').setInputFiles({ name: 'big.jpg', mimeType: 'image/jpeg', buffer: tooLarge });
  await dialog.getByRole('button', { name: '上传头像' }).click();
  await expect(dialog.getByLabel('头像')).toHaveAccessibleDescription(/5 MB/);
  const buffer = Buffer.concat([Buffer.from(header), Buffer.alloc(1.6 * 1024 * 1024)]);
  await dialog.getByLabel('头像').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer });
  await dialog.getByRole('button', { name: '上传头像' }).click();
  await expect(page.getByText('头像已上传。')).toBeVisible();
  await expect(page.getByRole('heading', { name: '客服人员' })).toBeVisible();
});
