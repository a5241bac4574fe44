// Agents from WeChat (sync), created and invited from the console, and bound to their openid by QR
// code or by a one-time code, against the fake WeChat over HTTP on both engines.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAgentByAccount, listAgents } from '@/db/queries/agents';
import { recordInteraction } from '@/db/queries/followers';
import { listAudit } from '@/db/queries/audit-log';
import { listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { openPostgres } from '@/db/engines/postgres';
import { createUser } from '@/db/queries/users';
import { offerCodeBinding, offerQrBinding, readBindingState, setAgentOpenid } from '@/lib/kf/agent-binding';
import { changeAgentAvatar, EMPTY_LIST_BELIEVED_AFTER_MS, inviteAgent, ONLINE_FRESH_MS, refreshOnlineIfStale, reinviteAgent, removeAgent, renameAgent, runAgentSync, type AgentDeps } from '@/lib/kf/agents';
import { createWechatRuntime } from '@/lib/kf/runtime';
import { saveKfSettings, forgetCachedSettings } from '@/lib/kf/settings';
import { accountOfSim } from '@/lib/sandbox';
import { defaultServiceHours } from '@/lib/service-hours';
import { DomainError } from '@/lib/errors';
import { WechatApiError } from '@/lib/wechat/errors';
import { startWechatSim } from '@/lib/wechat-sim';
import { emptiedForEachTest, testDatabases } from './databases';
import { isTransfer, replyText, startKfHarness, textFields, type KfHarness } from './kf-harness';

const INVITE_EXPIRY_MS = 7 * 86_400_000;

describe.each(testDatabases)('agents on $kind', (base) => {
  const testDb = emptiedForEachTest(base);
  afterAll(() => testDb.close());
  let h: KfHarness;
  let deps: AgentDeps;
  let actor: { id: number };
  let suffix: string;
  beforeEach(async () => {
    h = await startKfHarness(testDb);
    deps = { database: h.database, kf: h.runtime.kf, now: () => new Date(h.sim.clock.now()) };
    suffix = h.sim.credentials.kfSuffix;
    const admin = await createUser(h.database.db, { email: 'boss@example.com', name: 'boss', role: 'admin', passwordHash: 'x' });
    actor = { id: admin.id };
  });
  afterEach(async () => {
    await h.close();
  });

  /** An account made straight in WeChat (its admin pages), in the given invitation state. */
  async function accountInWechat(prefix: string, state: 'bound' | 'waiting' | 'rejected' | 'expired' | 'none', online = false) {
    const kfAccount = `${prefix}@${suffix}`;
    await h.runtime.kf.addKfAccount({ kfAccount, nickname: `N ${prefix}` });
    if (state === 'none') return kfAccount;
    await h.runtime.kf.inviteWorker({ kfAccount, inviteWx: `wx_${prefix}_w` });
    if (state === 'bound') await h.sim.agents.acceptInvite(kfAccount);
    if (state === 'rejected') await h.sim.agents.rejectInvite(kfAccount);
    if (online) await h.sim.agents.setOnline(kfAccount, true);
    return kfAccount;
  }

  it('imports every account in its state, keeps a typed kf_openid, and marks one deleted in WeChat removed', async () => {
    await accountInWechat('old', 'expired');
    h.sim.clock.advance(INVITE_EXPIRY_MS + 60_000);
    const bound = await accountInWechat('ann', 'bound', true);
    await accountInWechat('bea', 'waiting');
    await accountInWechat('cat', 'rejected');
    await accountInWechat('dan', 'none');

    const first = await runAgentSync(deps);
    expect(first).toMatchObject({ ran: true, value: { accounts: 5, added: 5, updated: 0, removed: 0, online: 1 } });
    const byAccount = Object.fromEntries((await listAgents(h.database.db)).map((a) => [a.kfAccount.split('@')[0], a]));
    expect(byAccount.ann).toMatchObject({ status: 'active', kfWx: 'wx_ann_w', nickname: 'N ann', online: true, inviteWx: null });
    expect(byAccount.ann?.kfId).toMatch(/^\d+$/);
    expect(byAccount.ann?.avatarUrl).toMatch(/^http/);
    expect(byAccount.bea).toMatchObject({ status: 'invited', inviteWx: 'wx_bea_w', kfWx: null });
    expect(byAccount.bea?.inviteExpiresAt?.getTime()).toBeGreaterThan(h.sim.clock.now());
    expect(byAccount.cat).toMatchObject({ status: 'rejected', inviteWx: 'wx_cat_w' });
    expect(byAccount.old).toMatchObject({ status: 'expired' });
    expect(byAccount.dan).toMatchObject({ status: 'uninvited', inviteWx: null });

    // The console binds ann's openid; WeChat knows nothing of it, and a sync must not undo it.
    await h.sim.follower('o_ann_self_0000000000000000').sendText('hi');
    await setAgentOpenid(deps, actor, { agentId: byAccount.ann!.id, openid: 'o_ann_self_0000000000000000', confirmUnseen: false });
    await h.runtime.kf.deleteKfAccount(`dan@${suffix}`);
    h.sim.clock.advance(1000);
    const second = await runAgentSync(deps);
    expect(second).toMatchObject({ ran: true, value: { accounts: 4, added: 0, updated: 0, removed: 1 } });
    expect(await findAgentByAccount(h.database.db, { kfAccount: bound })).toMatchObject({ kfOpenid: 'o_ann_self_0000000000000000', kfOpenidSource: 'typed' });
    expect(await findAgentByAccount(h.database.db, { kfAccount: `dan@${suffix}` })).toMatchObject({ status: 'removed' });
    expect((await findAgentByAccount(h.database.db, { kfAccount: `dan@${suffix}` }))?.removedAt).toBeInstanceOf(Date);
  });

  it('keeps the known agents when WeChat suddenly lists none, until it has listed none for five minutes, however many syncs ran meanwhile', async () => {
    await accountInWechat('eve', 'bound', true);
    await accountInWechat('fay', 'waiting');
    expect(await runAgentSync(deps)).toMatchObject({ value: { accounts: 2, added: 2 } });
    for (const name of ['eve', 'fay']) await h.runtime.kf.deleteKfAccount(`${name}@${suffix}`);
    h.sim.clock.advance(1000);

    expect(await runAgentSync(deps)).toMatchObject({ value: { accounts: 0, removed: 0, keptOnEmpty: true } });
    expect((await listAgents(h.database.db)).map((a) => a.status).sort()).toEqual(['active', 'invited']);
    // Another instance's sync (or 「立即同步」) seconds later sees the same blip: still kept.
    h.sim.clock.advance(22_000);
    expect(await runAgentSync(deps)).toMatchObject({ value: { accounts: 0, removed: 0, keptOnEmpty: true } });
    h.sim.clock.advance(EMPTY_LIST_BELIEVED_AFTER_MS);
    expect(await runAgentSync(deps)).toMatchObject({ value: { accounts: 0, removed: 2 } });
    expect((await listAgents(h.database.db)).map((a) => a.status)).toEqual(['removed', 'removed']);
  });

  it('refreshes online status for open console pages at most once per ONLINE_FRESH_MS', async () => {
    await accountInWechat('ivy', 'bound', true);
    await runAgentSync(deps);
    h.sim.clock.advance(ONLINE_FRESH_MS + 1000);
    const calls = () => h.sim.calls({ path: '/cgi-bin/customservice/getonlinekflist' }).length;
    const before = calls();
    expect(await refreshOnlineIfStale(deps)).toBe(true);
    expect(await refreshOnlineIfStale(deps)).toBe(false);
    expect(calls()).toBe(before + 1);
    h.sim.clock.advance(ONLINE_FRESH_MS + 1000);
    expect(await refreshOnlineIfStale(deps)).toBe(true);
    expect(calls()).toBe(before + 2);
  });

  it('syncs in one instance at a time: a second sync meanwhile is told it is busy', async () => {
    await accountInWechat('eve', 'bound');
    const other = h.databaseUrl ? await openPostgres(h.databaseUrl, { max: 2 }) : h.database;
    try {
      const [a, b] = await Promise.all([runAgentSync(deps), runAgentSync({ ...deps, database: other })]);
      expect([a.ran, b.ran].sort()).toEqual([false, true]);
      expect(await listAgents(h.database.db)).toHaveLength(1);
    } finally {
      if (other !== h.database) await other.close();
    }
  });

  it('creates and invites an agent; the invitation shows as invited with WeChat\'s expiry, and accepted as active after a sync', async () => {
    const result = await inviteAgent(deps, actor, { prefix: 'fay', accountWx: suffix, nickname: '小菲', inviteWx: 'fay_worker' });
    expect(result.invited).toBe(true);
    expect(result.agent).toMatchObject({ kfAccount: `fay@${suffix}`, status: 'invited', inviteWx: 'fay_worker' });
    // WeChat says when the invitation expires (the fake: in seven days), to the second.
    expect(Math.abs(result.agent.inviteExpiresAt!.getTime() - (h.sim.clock.now() + INVITE_EXPIRY_MS))).toBeLessThan(3000);
    await h.sim.agents.acceptInvite(`fay@${suffix}`);
    await runAgentSync(deps);
    expect(await findAgentByAccount(h.database.db, { kfAccount: `fay@${suffix}` })).toMatchObject({ status: 'active', kfWx: 'fay_worker', inviteWx: null });
    expect((await listAudit(h.database.db, { limit: 10 })).map((a) => a.action)).toEqual(expect.arrayContaining(['agent.create', 'agent.invite']));
  });

  it('keeps an agent WeChat created when the invitation is refused, with the reason, and invites on retry', async () => {
    const result = await inviteAgent(deps, actor, { prefix: 'gus', accountWx: suffix, nickname: 'Gus', inviteWx: '9bad' });
    expect(result.invited).toBe(false);
    if (result.invited) return;
    expect(result.error).toBeInstanceOf(WechatApiError);
    expect(result.error.errcode).toBe(65409);
    expect(result.agent).toMatchObject({ status: 'uninvited', inviteErrcode: 65409, inviteWx: '9bad' });
    // A sync meanwhile keeps the reason: WeChat shows no invitation either.
    await runAgentSync(deps);
    expect(await findAgentByAccount(h.database.db, { kfAccount: `gus@${suffix}` })).toMatchObject({ status: 'uninvited', inviteErrcode: 65409 });

    const retried = await reinviteAgent(deps, actor, { agentId: result.agent.id, inviteWx: 'gus_worker' });
    expect(retried.invited).toBe(true);
    expect(await findAgentByAccount(h.database.db, { kfAccount: `gus@${suffix}` })).toMatchObject({ status: 'invited', inviteErrcode: null, inviteError: null, inviteWx: 'gus_worker' });
  });

  it('sends the invite when the same invitation is submitted again from the form after a refused invite', async () => {
    const refused = await inviteAgent(deps, actor, { prefix: 'hal', accountWx: suffix, nickname: 'Hal', inviteWx: '9bad' });
    expect(refused.invited).toBe(false);
    // Under another nickname it is another agent: the account is taken.
    await expect(inviteAgent(deps, actor, { prefix: 'hal', accountWx: suffix, nickname: 'Hal 2', inviteWx: 'hal_worker' })).rejects.toMatchObject({ code: 'agents.accountTaken' });
    const creations = () => h.sim.calls({ path: '/customservice/kfaccount/add' }).length;
    const before = creations();
    // As the form's message says: fix the invitee and send the form again.
    const retried = await inviteAgent(deps, actor, { prefix: 'hal', accountWx: suffix, nickname: 'Hal', inviteWx: 'hal_worker' });
    expect(retried.invited).toBe(true);
    expect(creations()).toBe(before);
    expect(await findAgentByAccount(h.database.db, { kfAccount: `hal@${suffix}` })).toMatchObject({ status: 'invited', inviteWx: 'hal_worker', inviteErrcode: null });
  });

  it('refuses a taken kf_account, nickname or invitee before calling WeChat', async () => {
    const hal = await inviteAgent(deps, actor, { prefix: 'hal', accountWx: suffix, nickname: 'Hal', inviteWx: 'hal_worker' });
    await inviteAgent(deps, actor, { prefix: 'ivy', accountWx: suffix, nickname: 'Ivy', inviteWx: 'ivy_worker' });
    const calls = h.sim.calls().length;
    await expect(inviteAgent(deps, actor, { prefix: 'hal2', accountWx: suffix, nickname: 'Hal', inviteWx: 'hal2_worker' })).rejects.toMatchObject({
      code: 'agents.nicknameTaken',
      field: 'nickname',
    });
    await expect(renameAgent(deps, actor, { agentId: hal.agent.id, nickname: 'Ivy' })).rejects.toMatchObject({ code: 'agents.nicknameTaken', field: 'nickname' });
    expect(await findAgentByAccount(h.database.db, { kfAccount: `hal@${suffix}` })).toMatchObject({ nickname: 'Hal' });
    await expect(inviteAgent(deps, actor, { prefix: 'hal', accountWx: suffix, nickname: 'Hal 2', inviteWx: 'other_worker' })).rejects.toMatchObject({
      code: 'agents.accountTaken',
      field: 'prefix',
    });
    await expect(inviteAgent(deps, actor, { prefix: 'ian', accountWx: suffix, nickname: 'Ian', inviteWx: 'hal_worker' })).rejects.toMatchObject({
      code: 'agents.workerTaken',
      field: 'inviteWx',
    });
    await expect(inviteAgent(deps, actor, { prefix: 'a_very_long', accountWx: 'x'.repeat(25), nickname: 'L', inviteWx: 'long_worker' })).rejects.toBeInstanceOf(DomainError);
    expect(h.sim.calls().length).toBe(calls);
  });

  it('uploads a JPEG avatar to WeChat and takes its new URL from the next list; a PNG never reaches WeChat', async () => {
    const kfAccount = await h.addAgent('ava', { nickname: 'Ava' });
    await runAgentSync(deps);
    const agent = (await findAgentByAccount(h.database.db, { kfAccount }))!;
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x80, 0x02, 0x80, 0x03, 0, 0, 0, 0]);
    await changeAgentAvatar(deps, actor, { agentId: agent.id, file: { data: jpeg, type: 'image/jpeg', name: 'me.jpg' } });
    const after = (await findAgentByAccount(h.database.db, { kfAccount }))!;
    expect(after.avatarUrl).not.toBe(agent.avatarUrl);
    expect(after.avatarUrl).toBe((await h.runtime.kf.getKfList()).find((a) => a.kf_account === kfAccount)?.kf_headimgurl);
    const uploads = h.sim.calls({ path: '/customservice/kfaccount/uploadheadimg' }).length;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 2, 128, 0, 0, 2, 128]);
    await expect(changeAgentAvatar(deps, actor, { agentId: agent.id, file: { data: png, type: 'image/png', name: 'me.png' } })).rejects.toMatchObject({ code: 'agents.avatarType' });
    expect(h.sim.calls({ path: '/customservice/kfaccount/uploadheadimg' }).length).toBe(uploads);
  });

  it('saves nothing when WeChat refuses to create the account, and keeps it when WeChat refuses the invitation for any reason', async () => {
    // Made in WeChat's own admin pages, not yet synced: WeChat knows the name, wekf does not.
    await h.runtime.kf.addKfAccount({ kfAccount: `pat@${suffix}`, nickname: 'Pat' });
    await expect(inviteAgent(deps, actor, { prefix: 'pat', accountWx: suffix, nickname: 'Pat', inviteWx: 'pat_worker' })).rejects.toMatchObject({ errcode: 65406 });
    expect(await findAgentByAccount(h.database.db, { kfAccount: `pat@${suffix}` })).toBeUndefined();

    for (const [prefix, errcode] of [['quin', 65410], ['ray', 65408], ['sam', 65407]] as const) {
      h.sim.faults.inject({ path: '/customservice/kfaccount/inviteworker', errcode });
      const result = await inviteAgent(deps, actor, { prefix, accountWx: suffix, nickname: prefix, inviteWx: `${prefix}_worker` });
      expect(result.invited).toBe(false);
      expect(await findAgentByAccount(h.database.db, { kfAccount: `${prefix}@${suffix}` })).toMatchObject({ status: 'uninvited', inviteErrcode: errcode });
    }
  });

  it('renames in WeChat and here, and removes an agent without forgetting its sessions', async () => {
    const kfAccount = await h.addAgent('jon', { nickname: 'Jo' });
    const agent = (await findAgentByAccount(h.database.db, { kfAccount }))!;
    await renameAgent(deps, actor, { agentId: agent.id, nickname: '乔' });
    expect((await h.runtime.kf.getKfList()).find((a) => a.kf_account === kfAccount)?.kf_nick).toBe('乔');
    await h.sim.follower('o_jo_customer').sendText('客服');
    await h.sim.agents.accept(kfAccount, 'o_jo_customer');
    await removeAgent(deps, actor, { agentId: agent.id });
    expect(await findAgentByAccount(h.database.db, { kfAccount })).toMatchObject({ status: 'removed', nickname: '乔' });
    expect((await h.runtime.kf.getKfList()).map((a) => a.kf_account)).not.toContain(kfAccount);
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_jo_customer' })).toHaveLength(1);
  });

  it('binds the openid of whoever scans the QR code, once, and refuses an expired code', async () => {
    const kfAccount = await h.addAgent('kim', { nickname: 'Kim' });
    const agent = (await findAgentByAccount(h.database.db, { kfAccount }))!;
    const offer = await offerQrBinding(deps, actor, { agentId: agent.id });
    expect(offer.qrImage).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await readBindingState(deps, { bindingId: offer.bindingId })).toBe('waiting');
    const scene = (await lastQrScene(h))!;

    const scan = await h.sim.follower('o_kim_phone_000000000000000').scan(scene);
    expect(replyText(scan)).toBe(`已绑定客服账号 Kim（${kfAccount}）。有客户排队时会在这里提醒您。微信只在您 48 小时内给公众号发过消息时才允许提醒：请现在回复任意一句，之后也不时发条消息。`);
    expect(await findAgentByAccount(h.database.db, { kfAccount })).toMatchObject({ kfOpenid: 'o_kim_phone_000000000000000', kfOpenidSource: 'qr' });
    expect(await readBindingState(deps, { bindingId: offer.bindingId })).toBe('bound');
    // Someone else scanning the spent code binds nothing.
    const again = await h.sim.follower('o_not_kim_00000000000000000').scan(scene);
    expect(replyText(again)).toBe('绑定码无效、已使用或已过期，请在控制台重新生成。');
    expect(await findAgentByAccount(h.database.db, { kfAccount })).toMatchObject({ kfOpenid: 'o_kim_phone_000000000000000' });

    // A follow by scanning (subscribe + qrscene_) binds too; after ten minutes the code is dead.
    const late = await offerQrBinding(deps, actor, { agentId: agent.id });
    h.sim.clock.advance(10 * 60_000 + 1000);
    expect(await readBindingState(deps, { bindingId: late.bindingId })).toBe('expired');
    const fresh = await offerQrBinding(deps, actor, { agentId: agent.id });
    const follow = await h.sim.follower('o_kim_new_phone_00000000000').subscribe((await lastQrScene(h))!);
    expect(replyText(follow)).toContain('已绑定客服账号 Kim');
    expect(await readBindingState(deps, { bindingId: fresh.bindingId })).toBe('bound');
  });

  it('binds by code once under WeChat\'s retries, refuses used and expired codes, and locks out guessing', async () => {
    const kfAccount = await h.addAgent('lea', { nickname: 'Lea' });
    const agent = (await findAgentByAccount(h.database.db, { kfAccount }))!;
    const offer = await offerCodeBinding(deps, actor, { agentId: agent.id });
    expect(offer.code).toMatch(/^\d{6}$/);

    const fields = textFields('o_lea_phone_000000000000000', `绑定 ${offer.code}`);
    const [first, retry] = await Promise.all([h.push(fields), h.push(fields)]);
    const firstBody = await first.text();
    expect(firstBody).toContain('已绑定客服账号 Lea');
    expect(await retry.text()).toBe(firstBody);
    expect(await findAgentByAccount(h.database.db, { kfAccount })).toMatchObject({ kfOpenid: 'o_lea_phone_000000000000000', kfOpenidSource: 'code' });
    // Not a keyword, not queued.
    expect(await listSessionsByOpenid(h.database.db, { openid: 'o_lea_phone_000000000000000' })).toEqual([]);

    const reused = await h.sim.follower('o_lea_phone_000000000000000').sendText(`bind ${offer.code}`);
    expect(replyText(reused)).toBe('绑定码无效、已使用或已过期，请在控制台重新生成。');
    const expiring = await offerCodeBinding(deps, actor, { agentId: agent.id });
    h.sim.clock.advance(10 * 60_000 + 1000);
    expect(replyText(await h.sim.follower('o_lea_other_000000000000000').sendText(`绑定${expiring.code}`))).toContain('无效');

    // Guessing: four wrong codes are answered as wrong, the fifth locks the sender out, and then
    // even the right code binds nothing until the lock ends.
    const right = await offerCodeBinding(deps, actor, { agentId: agent.id });
    const wrong = right.code === '000000' ? '111111' : '000000';
    const guesser = h.sim.follower('o_guesser_00000000000000000');
    for (let i = 0; i < 4; i++) expect(replyText(await guesser.sendText(`绑定 ${wrong}`))).toContain('无效');
    expect(replyText(await guesser.sendText(`绑定 ${wrong}`))).toBe('绑定码错误次数过多，请 10 分钟后再试。');
    expect(replyText(await guesser.sendText(`绑定 ${right.code}`))).toContain('错误次数过多');
    expect(await readBindingState(deps, { bindingId: right.bindingId })).toBe('waiting');
    h.sim.clock.advance(9 * 60_000);
    expect(replyText(await guesser.sendText(`绑定 ${right.code}`))).toBe('绑定码错误次数过多，请 1 分钟后再试。');
    h.sim.clock.advance(61_000);
    // The lock has ended (and the code with it, both ten minutes): a new code binds.
    const after = await offerCodeBinding(deps, actor, { agentId: agent.id });
    expect(replyText(await guesser.sendText(`绑定 ${after.code}`))).toContain('已绑定客服账号 Lea');
  });

  it('refuses a typed openid of the wrong shape, one bound to another agent, or an unseen one unless confirmed', async () => {
    const a = (await findAgentByAccount(h.database.db, { kfAccount: await h.addAgent('moe') }))!;
    const b = (await findAgentByAccount(h.database.db, { kfAccount: await h.addAgent('ned') }))!;
    await expect(setAgentOpenid(deps, actor, { agentId: a.id, openid: 'not an openid', confirmUnseen: true })).rejects.toMatchObject({ code: 'agents.openidShape', field: 'openid' });
    await expect(setAgentOpenid(deps, actor, { agentId: a.id, openid: 'o_never_seen_000000000000000', confirmUnseen: false })).rejects.toMatchObject({ code: 'agents.openidUnseen' });
    await setAgentOpenid(deps, actor, { agentId: a.id, openid: 'o_never_seen_000000000000000', confirmUnseen: true });
    await expect(setAgentOpenid(deps, actor, { agentId: b.id, openid: 'o_never_seen_000000000000000', confirmUnseen: true })).rejects.toMatchObject({ code: 'agents.openidTaken' });
    // A follower wekf has seen is taken at its word, short as the fake WeChat's openids are.
    await expect(setAgentOpenid(deps, actor, { agentId: b.id, openid: 'sbx_short', confirmUnseen: true })).rejects.toMatchObject({ code: 'agents.openidShape' });
    await recordInteraction(h.database.db, { openid: 'sbx_short', trigger: 'message', now: new Date() });
    await setAgentOpenid(deps, actor, { agentId: b.id, openid: 'sbx_short', confirmUnseen: false });
    expect((await findAgentByAccount(h.database.db, { kfAccount: b.kfAccount }))?.kfOpenid).toBe('sbx_short');
  });

  it('asks before binding the openid of a follower who has been served as a customer, and binds it once confirmed', async () => {
    const d = (await findAgentByAccount(h.database.db, { kfAccount: await h.addAgent('pam') }))!;
    const customer = 'o_customer_00000000000000000';
    await h.sim.follower(customer).sendText('客服');
    const asked = await setAgentOpenid(deps, actor, { agentId: d.id, openid: customer, confirmUnseen: false }).catch((e: unknown) => e);
    expect(asked).toMatchObject({ code: 'agents.openidIsCustomer', params: { count: 1 }, field: 'openid' });
    expect((await findAgentByAccount(h.database.db, { kfAccount: d.kfAccount }))?.kfOpenid).toBeNull();
    await setAgentOpenid(deps, actor, { agentId: d.id, openid: customer, confirmUnseen: true });
    expect((await findAgentByAccount(h.database.db, { kfAccount: d.kfAccount }))?.kfOpenid).toBe(customer);
  });

  it('in sandbox mode takes the fake WeChat’s short openids unseen, once confirmed, and still refuses what is no openid', async () => {
    const c = (await findAgentByAccount(h.database.db, { kfAccount: await h.addAgent('ola') }))!;
    await expect(setAgentOpenid(deps, actor, { agentId: c.id, openid: 'sbx_5bCP5p6X', confirmUnseen: false, sandbox: true })).rejects.toMatchObject({ code: 'agents.openidUnseen' });
    await expect(setAgentOpenid(deps, actor, { agentId: c.id, openid: '小林', confirmUnseen: true, sandbox: true })).rejects.toMatchObject({ code: 'agents.openidShape' });
    await setAgentOpenid(deps, actor, { agentId: c.id, openid: 'sbx_5bCP5p6X', confirmUnseen: true, sandbox: true });
    expect((await findAgentByAccount(h.database.db, { kfAccount: c.kfAccount }))?.kfOpenid).toBe('sbx_5bCP5p6X');
  });
});

describe.each(testDatabases)('a fresh start against a WeChat that already has agents, on $kind', (testDb) => {
  it('imports them before answering, so the first keyword is transferred', async () => {
    const { handle, drop } = await testDb.open();
    const sim = await startWechatSim({ existingAgents: [{ prefix: 'ops', nickname: 'Ops', workerWx: 'ops_worker', online: true }] });
    const runtime = createWechatRuntime({ account: { ...accountOfSim(sim), encodingAESKey: undefined }, database: () => handle, agentSyncStartWaitMs: 5000 });
    try {
      forgetCachedSettings();
      await saveKfSettings(handle.db, { settings: { hours: defaultServiceHours('00:00-24:00', 'Asia/Shanghai') }, userId: null });
      await runtime.agentsReady;
      const server = await serveRuntime(runtime);
      sim.setWebhook(server.url, 'plain');
      try {
        expect(isTransfer(await sim.follower('o_first_customer').sendText('客服'))).toBe(true);
      } finally {
        await server.close();
      }
    } finally {
      await runtime.stop();
      await sim.close();
      await drop();
    }
  });
});

async function lastQrScene(h: KfHarness): Promise<string | undefined> {
  const call = h.sim.calls({ path: '/cgi-bin/qrcode/create' }).at(-1);
  const body = call?.body as { action_info?: { scene?: { scene_str?: string } } } | undefined;
  return body?.action_info?.scene?.scene_str;
}

async function serveRuntime(runtime: ReturnType<typeof createWechatRuntime>): Promise<{ url: string; close(): Promise<void> }> {
  const http = await import('node:http');
  const { serveWebhook } = await import('@/lib/server/webhook-http');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void serveWebhook(runtime.webhook, req, res, url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/wechat`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
