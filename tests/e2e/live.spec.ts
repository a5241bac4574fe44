// The Live page and the Sandbox page in a real browser, against the server's own fake WeChat
// (sandbox mode): changes arrive without a reload, staff assign/close/drop from the console, an
// operator may act, a signed-out browser gets nothing from the event stream.
import { expect, test, type Page } from './fixtures';
import { addStaff, signInAs, signInAsAdmin, signOut } from './helpers';

// Each test walks a whole flow through the fake WeChat and the webhook on a shared, busy machine.
test.describe.configure({ timeout: 120_000 });

const operator = { email: 'live-operator@e2e.test', name: '值班操作员', role: '操作员' as const, password: 'operator-password-1' };

/** The fake WeChat's origin, as the console's sandbox banner shows it. */
async function fakeWechatUrl(page: Page): Promise<string> {
  const text = await page.getByTestId('sandbox-wechat-url').textContent();
  return /https?:\/\/\S+/.exec(text ?? '')![0];
}

async function sim(page: Page, path: string, body: unknown = {}) {
  const response = await page.request.post(`${await fakeWechatUrl(page)}/__sim/${path}`, { data: body });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return response.json();
}

const openidOf = (name: string) => `sbx_${Buffer.from(name, 'utf8').toString('base64url')}`;

/** Marks the document, so a later check can tell the page was never reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}
async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

async function ensureDemoAgents(page: Page) {
  await page.goto('/sandbox');
  const add = page.getByRole('button', { name: '添加演示客服' });
  if (await add.isVisible()) await add.click();
  // Creating them goes through the fake's API (token, kfaccount/add, inviteworker) on a cold server.
  await expect(page.getByTestId('sandbox-agent-小王')).toBeVisible({ timeout: 20_000 });
  // 小李 starts offline (the fake's second demo agent): these tests need both taking cases.
  const li = page.getByTestId('sandbox-agent-小李');
  const goOnline = li.getByRole('button', { name: '上线' });
  if (await goOnline.isVisible()) {
    await goOnline.click();
    await expect(li.getByRole('button', { name: '下线' })).toBeVisible();
  }
}

test('the sandbox drives keyword → queue message → accept → greeting → close, and the Live page follows without a reload', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const sandbox = await context.newPage();
  await signInAsAdmin(sandbox);
  await ensureDemoAgents(sandbox);

  await sandbox.getByLabel('粉丝名字').fill('阿明');
  await sandbox.getByRole('button', { name: '添加粉丝' }).click();
  const card = sandbox.getByTestId('follower-阿明');
  await expect(card).toBeVisible();

  const live = await context.newPage();
  await live.goto('/');
  await expect(live.locator('[data-live-state="open"]')).toBeVisible();
  await markDocument(live);
  const openid = openidOf('阿明');

  await card.getByRole('button', { name: '「客服」' }).click();
  await expect(live.getByTestId(`waiting-${openid}`)).toBeVisible();
  await expect(live.getByTestId('count-waiting')).toHaveText('1');
  // The tab's title carries the number waiting, readable from another tab, and keeps it through a
  // refetch that leaves the number as it was (小李 going offline and back).
  await expect(live).toHaveTitle('(1) 实时队列 · wekf 客服台');
  const li = sandbox.getByTestId('sandbox-agent-小李');
  const liOnLive = live.getByTestId(`agent-${(await agentAccount(sandbox, '小李'))!}`);
  await li.getByRole('button', { name: '下线' }).click();
  await expect(liOnLive).toContainText('离线');
  await expect(live).toHaveTitle('(1) 实时队列 · wekf 客服台');
  await li.getByRole('button', { name: '上线' }).click();
  await expect(liOnLive).toContainText('在线');
  // the queue-position message came through the customer-service API
  await expect(card.getByText('客服消息接口')).toHaveCount(1);

  await sandbox.getByRole('button', { name: '小王 · 接入下一位' }).click();
  await expect(live.getByTestId(`active-${openid}`)).toBeVisible();
  await expect(live.getByTestId(`waiting-${openid}`)).toHaveCount(0);
  await expect(live).toHaveTitle('实时队列 · wekf 客服台');
  // and the greeting
  await expect(card.getByText('客服消息接口')).toHaveCount(2);

  await sandbox.getByLabel('以 小王 的身份回复').fill('你好，我是小王');
  await sandbox.getByRole('button', { name: '回复' }).click();
  await expect(card.getByText('你好，我是小王')).toBeVisible();

  await sandbox.getByRole('button', { name: '结束 · 阿明' }).click();
  await expect(live.getByTestId(`active-${openid}`)).toHaveCount(0);
  await expect(card.getByText('客服消息接口')).toHaveCount(3);
  // The thread is longer than its box by now, and shows its newest line: the closing text.
  const thread = card.getByRole('list', { name: '消息' });
  await expect.poll(() => thread.evaluate((list) => list.scrollHeight > list.clientHeight && list.scrollTop + list.clientHeight >= list.scrollHeight - 1)).toBe(true);
  await expectSameDocument(live);

  // The fake WeChat saw the session end, and wekf answered its event.
  const pushes = (await (await sandbox.request.get(`${await fakeWechatUrl(sandbox)}/__sim/pushes?openid=${openid}`)).json()) as {
    fields: { Event?: string };
    outcome?: { kind: string };
  }[];
  expect(pushes.find((p) => p.fields.Event === 'kf_close_session')?.outcome?.kind).toBe('ack');
  // And wekf's database: nobody waiting or served, one served today.
  await live.reload();
  await expect(live.getByTestId('count-active')).toHaveText('0');
  await expect(live.getByTestId('count-waiting')).toHaveText('0');
  await context.close();
});

test('an operator assigns, closes and drops from the Live page; WeChat refusals are shown plainly', async ({ page }) => {
  await signInAsAdmin(page);
  await ensureDemoAgents(page);
  await addStaff(page, operator);
  await signOut(page);
  await signInAs(page, operator.email, operator.password);
  await expect(page.locator('[data-live-state="open"]')).toBeVisible();
  await markDocument(page);

  const first = 'o_e2e_assign';
  await sim(page, `followers/${first}/subscribe`);
  const sentAt = Date.now();
  await sim(page, `followers/${first}/text`, { text: '客服' });
  const waiting = page.getByTestId(`waiting-${first}`);
  await expect(waiting).toBeVisible();
  // Its last message at the service's time (Asia/Shanghai unless the settings say otherwise), as the
  // Sessions and Audit pages write it, not at the server's (this machine runs in UTC).
  const serviceTime = (at: number) => new Intl.DateTimeFormat('zh-CN', { timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(at);
  const lastMessage = (await waiting.locator('td').nth(3).textContent())?.trim();
  expect([serviceTime(sentAt), serviceTime(Date.now())]).toContain(lastMessage);

  // 小李 goes offline in WeChat: assigning to them is refused with WeChat's meaning.
  await sim(page, `agents/${encodeURIComponent((await agentAccount(page, '小李'))!)}/online`, { online: false });
  await waiting.getByRole('button', { name: '分配' }).click();
  let dialog = page.getByRole('dialog');
  // Each choice says how many chats the agent holds now.
  const agentChoice = (name: string) => dialog.getByLabel('客服', { exact: true }).locator('option', { hasText: `${name} · ` });
  await expect(agentChoice('小王')).toHaveText(/^小王 · 在线 · 接待 \d+ 人$/);
  const choose = async (name: string) => dialog.getByLabel('客服', { exact: true }).selectOption((await agentChoice(name).getAttribute('value'))!);
  await choose('小李');
  await dialog.getByRole('button', { name: '分配' }).click();
  await expect(dialog.getByText('微信拒绝了此操作：客服不在线（错误码 65415）')).toBeVisible();
  await choose('小王');
  // WeChat is slow to answer: Esc and × leave the dialog open while the assign is under way, so its
  // result is seen rather than lost behind a closed dialog.
  await sim(page, 'faults', { path: '/customservice/kfsession/create', delayMs: 1500 });
  await dialog.getByRole('button', { name: '分配' }).click();
  await expect(dialog.getByRole('button', { name: '关闭' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('announcer')).toHaveText('已请求微信分配，接入后会显示在“接待中”。');
  const active = page.getByTestId(`active-${first}`);
  await expect(active).toBeVisible();
  await expect(waiting).toHaveCount(0);

  await active.getByRole('button', { name: '结束会话' }).click();
  dialog = page.getByRole('dialog', { name: `结束与 ${first} 的会话？` });
  await dialog.getByRole('button', { name: '结束会话' }).click();
  await expect(active).toHaveCount(0);
  // The row took the button and its message with it: the page says what happened, and the focus
  // is on the page's content rather than lost.
  await expect(page.getByTestId('announcer')).toHaveText('已请求微信结束会话。');
  await expect(page.locator('main')).toBeFocused();

  const second = 'o_e2e_drop';
  const third = 'o_e2e_next';
  for (const openid of [second, third]) {
    await sim(page, `followers/${openid}/subscribe`);
    await sim(page, `followers/${openid}/text`, { text: '客服' });
  }
  const dropping = page.getByTestId(`waiting-${second}`);
  await expect(dropping).toBeVisible();
  await expect(page.getByTestId(`waiting-${third}`)).toBeVisible();
  await dropping.getByRole('button', { name: '移出队列' }).click();
  // The action's request never reaches the server (the connection drops): said in the dialog, and
  // the queue stays on screen. Only the action is cut off: going offline whole also drops the live
  // stream, whose reconnecting re-renders the row under the dialog.
  const cutOff = '**/*';
  await page.route(cutOff, (route) => (route.request().method() === 'POST' && route.request().headers()['next-action'] ? route.abort('internetdisconnected') : route.fallback()));
  const dropDialog = page.getByRole('dialog', { name: `把 ${second} 移出队列？` });
  await dropDialog.getByRole('button', { name: '移出队列' }).click();
  await expect(dropDialog.getByText('无法连接服务器，操作未执行：请检查网络后重试。')).toBeVisible();
  await expect(dropping).toBeVisible();
  await page.unroute(cutOff);
  await dropDialog.getByRole('button', { name: '移出队列' }).click();
  await expect(dropping).toHaveCount(0);
  // The next follower in line is one key away: the focus is on the same button of their row.
  await expect(page.getByTestId(`waiting-${third}`).getByRole('button', { name: '移出队列' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: `把 ${third} 移出队列？` }).getByRole('button', { name: '移出队列' }).click();
  await expect(page.getByTestId(`waiting-${third}`)).toHaveCount(0);
  await expectSameDocument(page);

  // In WeChat, the first follower's session ended through the API, the second was never served.
  const state = (await (await page.request.get(`${await fakeWechatUrl(page)}/__sim/state`)).json()) as { sessions: { openid: string }[] };
  expect(state.sessions.map((s) => s.openid)).not.toContain(first);
  await sim(page, `agents/${encodeURIComponent((await agentAccount(page, '小李'))!)}/online`, { online: true });
});

test('staff name a waiting follower on the session page: WeChat keeps the remark, and the Live page and Sessions show it', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signInAsAdmin(page);
  // Long, as WeChat's are (28 characters): shown shortened until someone names the follower.
  const openid = 'o_e2e_remark_0123456789abcdef';
  await sim(page, `followers/${openid}/subscribe`);
  await sim(page, `followers/${openid}/text`, { text: '客服' });

  const live = await context.newPage();
  await live.goto('/');
  await expect(live.locator('[data-live-state="open"]')).toBeVisible();
  const waiting = live.getByTestId(`waiting-${openid}`);
  await expect(waiting).toContainText('o_e2e_re…abcdef');
  await markDocument(live);

  await page.goto(`/sessions?follower=${openid}`);
  const sessionRows = page.getByRole('table', { name: '会话记录' }).locator('tbody tr');
  await expect(sessionRows).toHaveCount(1);
  await sessionRows.first().getByRole('link').click();
  await expect(page.getByTestId('follower-remark')).toHaveText('未设置备注');
  await page.getByRole('button', { name: '编辑备注' }).click();
  const dialog = page.getByRole('dialog', { name: '编辑 o_e2e_re…abcdef 的备注' });
  const field = dialog.getByLabel('备注名');
  // Ten Chinese characters are 30 bytes: refused here, before WeChat is asked.
  await field.fill('王'.repeat(10));
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByText('备注名须少于 30 字节（约 9 个汉字或 29 个字母）。')).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('王'.repeat(10));
  await field.fill('王女士 VIP');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('备注已改为“王女士 VIP”。')).toBeVisible();
  await expect(page.getByTestId('follower-remark')).toHaveText('王女士 VIP');

  // WeChat has it (the fake's state), and the open Live page renamed the row without a reload.
  const state = (await (await page.request.get(`${await fakeWechatUrl(page)}/__sim/state`)).json()) as { followers: { openid: string; remark: string }[] };
  expect(state.followers.find((f) => f.openid === openid)?.remark).toBe('王女士 VIP');
  await expect(waiting).toContainText('王女士 VIP');
  await expectSameDocument(live);

  // Sessions finds them by the start of the remark, and lists them by it.
  await page.goto('/sessions');
  await page.getByLabel('粉丝', { exact: true }).fill('王女士');
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(/follower=/);
  await expect(sessionRows).toHaveCount(1);
  await expect(sessionRows.first()).toContainText('王女士 VIP');

  // Named in the Live page's dialogs too; dropping them leaves the queue as it was.
  await waiting.getByRole('button', { name: '移出队列' }).click();
  await live.getByRole('dialog', { name: '把 王女士 VIP 移出队列？' }).getByRole('button', { name: '移出队列' }).click();
  await expect(waiting).toHaveCount(0);

  // The audit names the session dropped as a link to its page.
  await page.goto('/audit');
  const dropRow = page.getByTestId('audit-row').filter({ hasText: '移出队列' }).first();
  await dropRow.getByRole('link', { name: /^会话 #\d+$/ }).click();
  await expect(page.getByTestId('follower-remark')).toHaveText('王女士 VIP');
  await context.close();
});

async function agentAccount(page: Page, nickname: string): Promise<string | undefined> {
  const state = (await (await page.request.get(`${await fakeWechatUrl(page)}/__sim/state`)).json()) as {
    accounts: { kfAccount: string; nickname: string }[];
  };
  return state.accounts.find((a) => a.nickname === nickname)?.kfAccount;
}

test('desktop alerts, once switched on, raise one notification when someone joins the line while the tab is out of sight', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', permissions: ['notifications'] });
  // Headless Chromium shows no notification and keeps every tab visible: both are stood in for here,
  // recording what the page asks the browser for.
  await context.addInitScript(() => {
    const shown: { title: string; body?: string }[] = [];
    const w = window as unknown as { __shown: typeof shown; __hidden: boolean; Notification: unknown };
    w.__shown = shown;
    w.__hidden = false;
    w.Notification = class {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body });
      }
    };
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (w.__hidden ? 'hidden' : 'visible') });
  });
  const page = await context.newPage();
  await signInAsAdmin(page);
  await ensureDemoAgents(page);
  await page.goto('/');
  await expect(page.locator('[data-live-state="open"]')).toBeVisible();
  const toggle = page.getByRole('button', { name: '桌面提醒：关闭' });
  await toggle.click();
  await expect(page.getByRole('button', { name: '桌面提醒：已开启' })).toHaveAttribute('aria-pressed', 'true');

  const before = Number(await page.getByTestId('count-waiting').textContent());
  await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
  await sim(page, 'followers/o_e2e_alerted/subscribe');
  await sim(page, 'followers/o_e2e_alerted/text', { text: '客服' });
  await expect(page.getByTestId('count-waiting')).toHaveText(String(before + 1));
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown))
    .toEqual([{ title: '有粉丝在排队', body: `当前排队 ${before + 1} 人，请到实时队列处理。` }]);
  // Kept in this browser: switched on after a reload too.
  await page.reload();
  await expect(page.getByRole('button', { name: '桌面提醒：已开启' })).toBeVisible();

  const wang = (await agentAccount(page, '小王'))!;
  await sim(page, `agents/${encodeURIComponent(wang)}/accept`, { openid: 'o_e2e_alerted' });
  await sim(page, `agents/${encodeURIComponent(wang)}/close`, { openid: 'o_e2e_alerted' });
  await context.close();
});

test('a signed-out browser gets nothing from the event stream', async ({ request }) => {
  const response = await request.get('/api/live');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).not.toContain('text/event-stream');
});

test('a long line lists its head, and all of it on request, so the sessions and agents stay in reach', async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page.locator('[data-live-state="open"]')).toBeVisible();
  const before = Number(await page.getByTestId('count-waiting').textContent());
  const openids = Array.from({ length: 22 - before }, (_, i) => `o_e2e_line_${String(i).padStart(2, '0')}`);
  for (const openid of openids) {
    await sim(page, `followers/${openid}/subscribe`);
    await sim(page, `followers/${openid}/text`, { text: '客服' });
  }
  await expect(page.getByTestId('count-waiting')).toHaveText('22');
  const rows = page.getByRole('table', { name: '排队中的粉丝' }).locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await page.getByRole('link', { name: '显示全部 22 位排队的粉丝' }).click();
  await expect(rows).toHaveCount(22);
  // By keyboard too: the focus stays on the link as the list changes beneath it.
  const back = page.getByRole('link', { name: '只显示前 20 位' });
  await back.focus();
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(20);
  await expect(page.getByRole('link', { name: '显示全部 22 位排队的粉丝' })).toBeFocused();
  // Dropping the 20th by keyboard: the focus goes to the same button of whoever moves up into row 20.
  const twentieth = rows.nth(19);
  const dropped = (await rows.nth(19).getAttribute('data-testid'))!;
  await twentieth.getByRole('button', { name: '移出队列' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').getByRole('button', { name: '移出队列' }).click();
  await expect(page.getByTestId(dropped)).toHaveCount(0);
  await expect(rows).toHaveCount(20);
  await expect(rows.nth(19).getByRole('button', { name: '移出队列' })).toBeFocused();
  // A follower who leaves while staff have their dialog open: the dialog goes with the row, and the
  // focus to the same button of whoever moves up, not to the page's body.
  const leaving = (await rows.nth(0).getAttribute('data-testid'))!.replace(/^waiting-/, '');
  await rows.nth(0).getByRole('button', { name: '分配' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await sim(page, `followers/${leaving}/unsubscribe`);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(rows.nth(0).getByRole('button', { name: '分配' })).toBeFocused();
  // Gone again, so later tests find the line as it was.
  for (const openid of openids.filter((o) => o !== leaving)) await sim(page, `followers/${openid}/unsubscribe`);
  await expect(page.getByTestId('count-waiting')).toHaveText(String(before));
});
