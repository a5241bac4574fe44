import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv';
import { settingsDiff } from './diff';
import { auditQuery, parseAuditFilters } from './filters';
import { actionLabel, AUDIT_ACTIONS, AUDIT_KINDS, detailText } from './labels';
import { endOfLocalDate, startOfLocalDate } from './time';

describe('settingsDiff', () => {
  it('lists only what changed, as readable values: a weekday, holidays as spans, an extra working date', () => {
    const before = {
      hours: {
        timezone: 'Asia/Shanghai',
        weekly: { mon: [{ start: '09:00', end: '18:00' }], tue: [{ start: '09:00', end: '18:00' }] },
        holidays: [],
        extraWorkdays: [],
      },
    };
    const after = {
      hours: {
        timezone: 'Asia/Shanghai',
        weekly: { mon: [{ start: '10:00', end: '12:00' }, { start: '13:00', end: '18:00' }], tue: [{ start: '09:00', end: '18:00' }] },
        holidays: ['2026-10-01', '2026-10-02', '2026-10-03'],
        extraWorkdays: [{ date: '2026-10-11', ranges: [{ start: '09:00', end: '18:00' }] }],
      },
    };
    expect(settingsDiff(before, after)).toEqual([
      { path: ['hours', 'weekly', 'mon'], before: '09:00-18:00', after: '10:00-12:00, 13:00-18:00' },
      { path: ['hours', 'holidays'], before: '∅', after: '2026-10-01~2026-10-03' },
      { path: ['hours', 'extraWorkdays', '2026-10-11'], before: null, after: '09:00-18:00' },
    ]);
  });

  it('diffs keywords, numbers and one line per reply text', () => {
    expect(
      settingsDiff({ keywords: ['客服'], waitMinutes: 30, templates: { hint: 'a', welcome: 'b' } }, { keywords: ['客服', 'help'], waitMinutes: 30, templates: { hint: 'a', welcome: 'c' } }),
    ).toEqual([
      { path: ['keywords'], before: '客服', after: '客服, help' },
      { path: ['templates', 'welcome'], before: 'b', after: 'c' },
    ]);
  });
});

describe('audit CSV', () => {
  it('quotes commas, quotes and new lines, and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@evil')).toBe("'@evil");
    expect(csvRow(['x', null, 3])).toBe('x,,3\r\n');
  });
});

describe('audit filters', () => {
  it('reads good values and names the ones it drops', () => {
    const { filters, invalid } = parseAuditFilters({ user: '3', kind: 'settings', from: '2026-10-01', to: '2026-02-30', before: 'x' });
    expect(filters).toEqual({ user: 3, kind: 'settings', from: '2026-10-01' });
    expect(invalid.sort()).toEqual(['before', 'to']);
    // A kind the page does not offer is named, not searched for.
    expect(parseAuditFilters({ kind: 'zzz' })).toMatchObject({ filters: {}, invalid: ['kind'] });
  });

  it('takes a range given end first the right way round, and says so', () => {
    expect(parseAuditFilters({ from: '2026-12-09', to: '2026-12-01' })).toEqual({ filters: { from: '2026-12-01', to: '2026-12-09' }, invalid: [], swapped: true });
    expect(parseAuditFilters({ from: '2026-12-01', to: '2026-12-09' }).swapped).toBe(false);
  });

  it('round-trips a keyset cursor with microseconds', () => {
    const { filters } = parseAuditFilters({ before: '2026-12-06T09:00:00.123456Z_42' });
    expect(filters.before).toEqual({ at: '2026-12-06T09:00:00.123456Z', id: 42 });
    expect(auditQuery({ kind: 'user' }, { before: '2026-12-06T09:00:00.123456Z_42' })).toBe('?kind=user&before=2026-12-06T09%3A00%3A00.123456Z_42');
  });

  it('turns local dates in the service zone into instants', () => {
    expect(startOfLocalDate('2026-10-01', 'Asia/Shanghai').toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(endOfLocalDate('2026-10-01', 'Asia/Shanghai').toISOString()).toBe('2026-10-01T16:00:00.000Z');
    // The day the clocks go forward in Berlin is 23 hours long.
    const day = endOfLocalDate('2026-03-29', 'Europe/Berlin').getTime() - startOfLocalDate('2026-03-29', 'Europe/Berlin').getTime();
    expect(day).toBe(23 * 3_600_000);
  });
});

describe('audit labels', () => {
  it('names known actions and shows an unknown one as written', () => {
    expect(actionLabel('settings.hours', 'zh')).toBe('修改服务时间');
    expect(actionLabel('settings.hours', 'en')).toBe('Changed service hours');
    expect(actionLabel('agent.teleport', 'en')).toBe('agent.teleport');
    expect(actionLabel('constructor', 'en')).toBe('constructor');
  });

  it('shows name=value and JSON details as pairs in the reader\'s language, and any other detail as written', () => {
    expect(detailText('{"filter":{},"rows":1,"outcome":"complete"}', 'en')).toBe('filter: — · rows: 1 · outcome: complete');
    expect(detailText('{"rows":1,"outcome":"cancelled"}', 'zh')).toBe('行数：1 · 结果：已取消');
    // An assign WeChat did not answer in time.
    expect(detailText('kf_account=a@b outcome=unknown', 'zh')).toBe('客服账号：a@b · 结果：未知（微信没有及时回应，可能已生效）');
    expect(detailText('{"filter":{"from":"2026-12-01","status":"closed"},"rows":0}', 'zh')).toBe('筛选：（起：2026-12-01 · 状态：已结束） · 行数：0');
    // Codes in the reader's language, by the name they come under; a change's sides each.
    expect(detailText('{"filter":{"agent":"li@wx","status":"active"},"rows":3}', 'zh')).toBe('筛选：（客服：li@wx · 状态：接待中） · 行数：3');
    expect(detailText('status=active', 'zh')).toBe('状态：已绑定微信号');
    expect(detailText('role=admin', 'zh')).toBe('角色：管理员');
    expect(detailText('role=operator → admin', 'en')).toBe('role: operator → admin');
    expect(detailText('role=operator → admin', 'zh')).toBe('角色：操作员 → 管理员');
    expect(detailText('{"windows":1,"pages":1,"fetched":601}', 'zh')).toBe('时间段：1 · 页数：1 · 拉取条数：601');
    // One name and its value with a colon: a rename, an old remark's session.
    expect(detailText('nickname: 小王 → 小李', 'zh')).toBe('昵称：小王 → 小李');
    expect(detailText('session:54', 'zh')).toBe('会话：54');
    expect(detailText('kf_account=a@b outcome=refused errcode=65415', 'zh')).toBe('客服账号：a@b · 结果：微信拒绝，未生效 · 错误码：65415（客服不在线）');
    expect(detailText('kf_account=xiaowang@wekf_sim', 'zh')).toBe('客服账号：xiaowang@wekf_sim');
    // With the agents the page knows, by the nickname staff know them by.
    const agentName = (account: string) => (account === 'xiaowang@wekf_sim' ? '小王' : undefined);
    expect(detailText('kf_account=xiaowang@wekf_sim', 'zh', { agentName })).toBe('客服账号：小王（xiaowang@wekf_sim）');
    expect(detailText('kf_account=xiaowang@wekf_sim outcome=unknown', 'en', { agentName })).toMatch(/^agent account: 小王 \(xiaowang@wekf_sim\) · outcome: unknown/);
    expect(detailText('kf_account=gone@wekf_sim', 'zh', { agentName })).toBe('客服账号：gone@wekf_sim');
    expect(detailText('nickname=Amy Lee', 'en')).toBe('nickname: Amy Lee');
    expect(detailText('inviteWx=amy_worker errcode=65412', 'en')).toBe('invited WeChat ID: amy_worker · errcode: 65412 (This agent account is already bound to a WeChat user)');
    expect(detailText('kf_openid: o_1 → o_2 (code)', 'en')).toBe('agent openid: o_1 → o_2 (code)');
    expect(detailText('kf_openid: o_1 → o_2 (code)', 'zh')).toBe('客服 openid：o_1 → o_2 (code)');
    expect(detailText('{not json', 'en')).toBe('{not json');
    expect(detailText('{"list":[1,2],"odd":1}', 'en')).toBe('list: 1,2 · odd: 1');
  });

  it('names every action the code writes, in both languages, under a kind the filter offers', () => {
    const written = writtenAuditActions();
    // The scan finds them: a sample from each way of writing one.
    expect(written).toEqual(expect.arrayContaining(['user.add', 'live.close', 'sessions.export', 'sandbox.agent-offline']));
    for (const action of written) {
      expect(Object.hasOwn(AUDIT_ACTIONS, action), `${action} has a label`).toBe(true);
      expect(Object.hasOwn(AUDIT_KINDS, action.split('.')[0]!), `${action}'s kind is in the filter`).toBe(true);
    }
    const kindNames = Object.values(AUDIT_KINDS).map((label) => label.en);
    expect(new Set(kindNames).size, 'no two kinds read alike').toBe(kindNames.length);
  });
});

/** The actions written by lib/ and app/: `action: 'x.y'` literals, and the sandbox's steps (`sandbox.${audit}`). */
function writtenAuditActions(): string[] {
  const actions = new Set<string>();
  for (const dir of ['lib', 'app']) {
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of source.matchAll(/\baction: '([a-z]+(?:\.[a-z_-]+)+)'/g)) actions.add(m[1]!);
      if (file.startsWith(path.join('(console)', 'sandbox'))) {
        // `{ audit: 'follow', target … }`, `{ audit: online ? 'agent-online' : 'agent-offline', target … }`
        for (const step of source.matchAll(/\baudit: ([^,]+), target/g)) {
          for (const m of step[1]!.matchAll(/'([a-z]+(?:-[a-z]+)*)'/g)) actions.add(`sandbox.${m[1]}`);
        }
      }
    }
  }
  return [...actions].sort();
}
