// Session history, a session's page, the CSV export and metrics, in Chromium against the production
// server in sandbox mode. Conversations are made through the fake WeChat's API and control endpoints
// (real pushes to wekf's webhook), never by clicking through setup.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { addStaff, signInAs, signInAsAdmin, signOut } from './helpers';

interface Sim {
  url: string;
  token: string;
  kfSuffix: string;
}

const operator = { email: 'history-op@e2e.test', name: '会话操作员', role: '操作员' as const, password: 'history-operator-pw' };

async function simOf(page: Page): Promise<Sim> {
  const url = (await page.getByTestId('sandbox-wechat-url').textContent())!.replace(/^.*?(http:\/\/)/, '$1');
  const credentials = JSON.parse(fs.readFileSync(path.join(process.env.WEKF_E2E_DATA_DIR!, 'sandbox-wechat.json'), 'utf8'));
  const answer = await page.request.get(`${url}/cgi-bin/token?grant_type=client_credential&appid=${credentials.appId}&secret=${credentials.appSecret}`);
  return { url, token: (await answer.json()).access_token, kfSuffix: credentials.kfSuffix };
}

async function call(request: APIRequestContext, sim: Sim, apiPath: string, body: unknown) {
  const answer = await request.post(`${sim.url}${apiPath}?access_token=${sim.token}`, { data: body });
  expect(answer.ok()).toBe(true);
  const json = await answer.json();
  if (json && typeof json.errcode === 'number') expect(json).toMatchObject({ errcode: 0 });
  return json;
}

const control = (request: APIRequestContext, sim: Sim, route: string, body: unknown = {}) =>
  call(request, { ...sim, token: '' }, `/__sim/${route}`, body);

async function readyAgent(request: APIRequestContext, sim: Sim, name: string): Promise<string> {
  const kf = `${name}@${sim.kfSuffix}`;
  await call(request, sim, '/customservice/kfaccount/add', { kf_account: kf, nickname: name });
  await call(request, sim, '/customservice/kfaccount/inviteworker', { kf_account: kf, invite_wx: `wx_${name}` });
  await control(request, sim, `agents/${encodeURIComponent(kf)}/accept-invite`);
  await control(request, sim, `agents/${encodeURIComponent(kf)}/online`, { online: true });
  return kf;
}

/** An agent starts a session with the follower, they talk, and (unless `open`) the agent closes it. */
async function conversation(request: APIRequestContext, sim: Sim, kf: string, openid: string, lines: [string, string][], open = false) {
  await control(request, sim, `followers/${openid}/subscribe`);
  await control(request, sim, `followers/${openid}/text`, { text: '你好' });
  await call(request, sim, '/customservice/kfsession/create', { kf_account: kf, openid });
  for (const [asked, answered] of lines) {
    await control(request, sim, `followers/${openid}/text`, { text: asked });
    await control(request, sim, `agents/${encodeURIComponent(kf)}/send`, { openid, text: answered });
  }
  if (!open) await control(request, sim, `agents/${encodeURIComponent(kf)}/close`, { openid });
}

const rows = (page: Page) => page.getByRole('table', { name: '会话记录' }).locator('tbody tr');

test.describe.serial('session history', () => {
  let amy: string;

  test('conversations made through the fake WeChat appear; filters live in the URL and the back button returns', async ({ page }) => {
    await signInAsAdmin(page);
    const sim = await simOf(page);
    amy = await readyAgent(page.request, sim, 'e2eamy');
    const bob = await readyAgent(page.request, sim, 'e2ebob');
    await conversation(page.request, sim, amy, 'o_e2e_hist_a', [['我想退货, "急"', '好的，请提供订单号'], ['=1+1', '收到']]);
    await conversation(page.request, sim, bob, 'o_e2e_hist_b', [['在吗', '在的']]);
    await conversation(page.request, sim, amy, 'o_e2e_hist_c', [['还在聊', '嗯']], true);

    await page.goto('/sessions?status=closed');
    await expect(rows(page).filter({ hasText: 'o_e2e_hist_a' })).toHaveCount(1);
    await expect(rows(page).filter({ hasText: 'o_e2e_hist_b' })).toHaveCount(1);
    await expect(rows(page).filter({ hasText: 'o_e2e_hist_c' })).toHaveCount(0);
    await expect(page.getByLabel('状态')).toHaveValue('closed');

    await page.getByLabel('粉丝', { exact: true }).fill('o_e2e_hist_a');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await expect(page).toHaveURL(/follower=o_e2e_hist_a/);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByTestId('session-count')).toHaveText('共 1 个会话');

    await page.goBack();
    await expect(page).not.toHaveURL(/follower=/);
    await expect(rows(page).filter({ hasText: 'o_e2e_hist_b' })).toHaveCount(1);

    await page.goto('/sessions?status=active&openid=o_e2e_hist_c');
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText('接待中');
    // Its page says the session is going on, not that it ended.
    await rows(page).first().getByRole('link').click();
    await expect(page.getByText('会话进行中：微信的聊天记录每 10 分钟拉取一次，本会话的消息在下次拉取后显示。')).toBeVisible();
  });

  test('a session shows its timeline, the messages we sent and, once pulled, its transcript', async ({ page }) => {
    // wekf learns the agents made in WeChat through its sync; then it names them by nickname.
    await signInAsAdmin(page, '/agents');
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByText(/已同步：\d+ 个账号/)).toBeVisible();
    await page.goto('/sessions?openid=o_e2e_hist_a');
    await rows(page).first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: /^会话 #\d+$/ })).toBeVisible();
    const timeline = page.getByTestId('timeline');
    // Amy started the session herself (kfsession/create), so the follower never queued.
    await expect(timeline).toContainText('e2eamy 主动发起会话');
    await expect(timeline).toContainText('e2eamy 结束会话');
    await expect(timeline).not.toContainText(amy);
    await expect(page.getByRole('table', { name: '我们发出的消息' })).toContainText('接入问候');
    // With what the follower read.
    await expect(page.getByRole('table', { name: '我们发出的消息' })).toContainText('很高兴为您服务');

    await page.getByRole('button', { name: '立即拉取聊天记录' }).click();
    // The pull brings every chat's lines; the page says how many are this session's.
    const pulled = page.getByText(/^已拉取：微信聊天记录新增 \d+ 条，其中本会话 \d+ 条。$/);
    await expect(pulled).toBeVisible();
    const [, added, here] = (await pulled.textContent())!.match(/新增 (\d+) 条，其中本会话 (\d+) 条/)!.map(Number);
    await page.reload();
    const transcript = page.getByTestId('transcript');
    await expect(transcript).toContainText('我想退货, "急"');
    await expect(transcript).toContainText('好的，请提供订单号');
    await expect(transcript).toContainText('客服 e2eamy');
    await expect(transcript).not.toContainText(amy);
    // Its counts are checked in transcript-sync.test.ts; here, that they are said.
    expect(here).toBeLessThanOrEqual(added!);
  });

  test('Export CSV downloads exactly the filtered list, with a BOM and guarded cells', async ({ page }) => {
    await signInAsAdmin(page, '/sessions?openid=o_e2e_hist_a');
    const id = (await rows(page).first().getByRole('link').getAttribute('href'))!.split('/').pop();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 CSV' }).click();
    const file = await (await download).path();
    const bytes = fs.readFileSync(file!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^session_id,openid,status,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${id},o_e2e_hist_a,closed,agent_closed,`));
    expect(lines[1]).toContain(amy);

    // The transcript export for the same day has the lines, a formula turned into text.
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const transcript = await page.request.get(`/sessions/export?kind=transcripts&from=${today}&to=${today}`);
    expect(transcript.status()).toBe(200);
    const text = (await transcript.body()).toString('utf8');
    expect(text).toContain(`,follower,`);
    expect(text).toContain(`"我想退货, ""急"""`);
    expect(text).toContain(`'=1+1`);
  });

  test('metrics show the seeded sessions per agent, with definitions', async ({ page }) => {
    await signInAsAdmin(page, '/metrics');
    await expect(page.getByRole('heading', { name: '数据统计' })).toBeVisible();
    const byAgent = page.getByRole('table', { name: '按客服' });
    // By nickname, as everywhere (the agents were synced above), not by kf_account.
    const amyRow = byAgent.getByRole('row').filter({ hasText: 'e2eamy' });
    // Amy accepted two sessions (one still open): sessions 2, served 2, expired 0, dropped 0.
    await expect(amyRow.getByRole('cell')).toHaveText(['e2eamy', '2', '2', '0', '0', /\d/, /\d/, /\d|—/, /%/]);
    await expect(byAgent).not.toContainText(amy);
    await expect(page.getByTestId('heat-map')).toBeVisible();
    // The day chart's dates keep their size on a phone (drawn in the SVG, they shrank with it).
    await page.setViewportSize({ width: 390, height: 844 });
    const dates = page.getByTestId('day-chart-dates');
    await expect(dates).toContainText(/\d\d-\d\d/);
    expect(await dates.evaluate((el) => getComputedStyle(el).fontSize)).toBe('12px');
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(page.getByText(/服务水平：在 60 秒内接入的会话/)).toBeVisible();
    await page.getByLabel('服务水平目标（秒）').fill('5');
    await page.getByRole('button', { name: '更新' }).click();
    await expect(page).toHaveURL(/target=5/);
    await expect(page.getByText(/服务水平：在 5 秒内接入的会话/)).toBeVisible();
  });

  test('an operator can read and export; nobody signed out can export', async ({ page, browser }) => {
    await signInAsAdmin(page, '/users');
    await addStaff(page, operator);
    await signOut(page);
    await signInAs(page, operator.email, operator.password);
    await page.goto('/sessions?openid=o_e2e_hist_b');
    await expect(rows(page)).toHaveCount(1);
    const answer = await page.request.get('/sessions/export?openid=o_e2e_hist_b');
    expect(answer.status()).toBe(200);
    expect((await answer.body()).toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(2);

    const stranger = await browser.newContext();
    const refused = await stranger.request.get(`${test.info().project.use.baseURL}/sessions/export`);
    expect(refused.status()).toBe(401);
    await stranger.close();
  });

  test('empty and invalid filters say so', async ({ page }) => {
    await signInAsAdmin(page, '/sessions?openid=o_nobody_here');
    await expect(page.getByText('没有符合条件的会话')).toBeVisible();
    await page.goto('/sessions?waited=soon&from=2026-13-45');
    await expect(page.getByRole('alert').filter({ hasText: '以下筛选条件无效' })).toHaveText('以下筛选条件无效，已忽略：排队日期起、等待超过（分钟）');
    // A session that does not exist: said inside the console, with the way back to the list.
    await page.goto('/sessions/99999999');
    await expect(page.getByRole('heading', { name: '找不到该页面' })).toBeVisible();
    await expect(page.getByText('没有这个会话。')).toBeVisible();
    await expect(page.getByRole('navigation').first()).toBeVisible();
    await page.getByRole('link', { name: /返回会话记录/ }).click();
    await expect(page).toHaveURL(/\/sessions$/);
    // Metrics for a range nobody queued in: one sentence, not a month of zeros.
    await page.goto('/metrics?from=2020-01-01&to=2020-01-31');
    await expect(page.getByText('2020-01-01 至 2020-01-31 没有粉丝排队')).toBeVisible();
    await expect(page.getByRole('table')).toHaveCount(0);
    await expect(page.getByTestId('heat-map')).toHaveCount(0);
  });
});
