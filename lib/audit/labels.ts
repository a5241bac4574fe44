// What each audit action is called on the audit page and in its CSV. Features add audit lines under
// their own names (`agent.invite`, `live.close`…); a name missing here is shown as it is written, so
// a new action is never hidden, only less readable until it gets a line here.
import { isMessageKey, translator, type Locale } from '@/lib/i18n/format';
import { describeErrcode } from '@/lib/wechat/errcodes';

type Label = Record<Locale, string>;

/** Families of actions (the part before the first dot), for the kind filter. */
export const AUDIT_KINDS: Record<string, Label> = {
  auth: { zh: '登录', en: 'Sign-in' },
  account: { zh: '个人账号', en: 'Own account' },
  user: { zh: '后台用户', en: 'Staff' },
  agent: { zh: '客服', en: 'Agents' },
  settings: { zh: '设置', en: 'Settings' },
  live: { zh: '实时操作', en: 'Live actions' },
  // Written by early versions only (session.reconciled); kept so their lines stay readable.
  session: { zh: '会话核对', en: 'Session checks' },
  sessions: { zh: '会话', en: 'Sessions' },
  transcripts: { zh: '聊天记录', en: 'Transcripts' },
  follower: { zh: '粉丝', en: 'Followers' },
  export: { zh: '导出', en: 'Exports' },
  audit: { zh: '操作日志', en: 'Audit log' },
  sandbox: { zh: '沙盒', en: 'Sandbox' },
};

export const AUDIT_ACTIONS: Record<string, Label> = {
  'auth.sign_in': { zh: '登录成功', en: 'Signed in' },
  'auth.sign_in_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.sign_in_throttled': { zh: '登录被限制（尝试过多）', en: 'Sign-in blocked (too many attempts)' },
  'account.password_change': { zh: '修改了自己的密码', en: 'Changed own password' },
  'account.password_change_refused': { zh: '修改密码被拒（当前密码错误）', en: 'Password change refused (wrong current password)' },
  'account.sign_out_others': { zh: '退出了其他设备', en: 'Signed out other devices' },
  'user.add': { zh: '添加后台用户', en: 'Added staff member' },
  'user.role': { zh: '修改后台用户角色', en: 'Changed staff role' },
  'user.password_reset': { zh: '重置后台用户密码', en: 'Reset staff password' },
  'user.disable': { zh: '停用后台用户', en: 'Disabled staff member' },
  'user.enable': { zh: '启用后台用户', en: 'Enabled staff member' },
  'agent.create': { zh: '创建客服账号', en: 'Created agent account' },
  'agent.invite': { zh: '邀请客服', en: 'Invited agent' },
  'agent.invite.failed': { zh: '邀请客服失败', en: 'Agent invitation failed' },
  'agent.rename': { zh: '修改客服昵称', en: 'Renamed agent' },
  'agent.avatar': { zh: '更换客服头像', en: 'Changed agent avatar' },
  'agent.remove': { zh: '删除客服', en: 'Removed agent' },
  'agent.sync': { zh: '同步客服列表', en: 'Synced agents' },
  'agent.bind': { zh: '绑定客服微信', en: 'Bound agent WeChat' },
  'agent.bind.code': { zh: '生成绑定码', en: 'Created binding code' },
  'agent.bind.qr': { zh: '生成绑定二维码', en: 'Created binding QR code' },
  'agent.unbind': { zh: '解除客服微信绑定', en: 'Unbound agent WeChat' },
  'live.assign': { zh: '分配排队粉丝', en: 'Assigned a waiting follower' },
  'live.close': { zh: '结束会话', en: 'Closed a session' },
  'live.drop': { zh: '移出队列', en: 'Dropped from the queue' },
  'session.reconciled': { zh: '会话与微信核对', en: 'Session checked against WeChat' },
  'settings.hours': { zh: '修改服务时间', en: 'Changed service hours' },
  'settings.keywords': { zh: '修改关键词与排队', en: 'Changed keywords and waiting' },
  'settings.templates': { zh: '修改回复文案', en: 'Changed reply texts' },
  'sessions.export': { zh: '导出会话记录', en: 'Exported sessions' },
  'transcripts.export': { zh: '导出聊天记录', en: 'Exported transcripts' },
  'transcripts.pull': { zh: '拉取聊天记录', en: 'Pulled transcripts' },
  'follower.remark': { zh: '修改粉丝备注', en: 'Changed follower remark' },
  'audit.export': { zh: '导出操作日志', en: 'Exported the audit log' },
  'sandbox.demo-agents': { zh: '沙盒：添加演示客服', en: 'Sandbox: added demo agents' },
  'sandbox.follow': { zh: '沙盒：添加粉丝', en: 'Sandbox: added a follower' },
  'sandbox.follower-send': { zh: '沙盒：粉丝发消息', en: 'Sandbox: follower sent a message' },
  'sandbox.agent-online': { zh: '沙盒：客服上线', en: 'Sandbox: agent went online' },
  'sandbox.agent-offline': { zh: '沙盒：客服下线', en: 'Sandbox: agent went offline' },
  'sandbox.agent-accept': { zh: '沙盒：客服接入', en: 'Sandbox: agent accepted a follower' },
  'sandbox.agent-accept-invite': { zh: '沙盒：客服接受邀请', en: 'Sandbox: agent accepted the invitation' },
  'sandbox.follower-scan': { zh: '沙盒：粉丝扫描绑定二维码', en: 'Sandbox: follower scanned the binding QR code' },
  'sandbox.agent-switch': { zh: '沙盒：客服转接', en: 'Sandbox: agent transferred a session' },
  'sandbox.agent-reply': { zh: '沙盒：客服回复', en: 'Sandbox: agent replied' },
  'sandbox.agent-close': { zh: '沙盒：客服结束会话', en: 'Sandbox: agent closed a session' },
};

export function actionLabel(action: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action]![locale] : action;
}

export function kindLabel(kind: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_KINDS, kind) ? AUDIT_KINDS[kind]![locale] : kind;
}

// The names in audit details (`kf_account=…`, an export's JSON), in the reader's language; a name
// missing here is shown as written.
const DETAIL_NAMES: Record<string, Label> = {
  kf_account: { zh: '客服账号', en: 'agent account' },
  role: { zh: '角色', en: 'role' },
  nickname: { zh: '昵称', en: 'nickname' },
  inviteWx: { zh: '邀请的微信号', en: 'invited WeChat ID' },
  errcode: { zh: '错误码', en: 'errcode' },
  status: { zh: '状态', en: 'status' },
  accounts: { zh: '账号', en: 'accounts' },
  added: { zh: '新增', en: 'added' },
  updated: { zh: '更新', en: 'updated' },
  removed: { zh: '移除', en: 'removed' },
  filter: { zh: '筛选', en: 'filter' },
  rows: { zh: '行数', en: 'rows' },
  outcome: { zh: '结果', en: 'outcome' },
  busy: { zh: '已有一次在运行', en: 'already running' },
  from: { zh: '起', en: 'from' },
  to: { zh: '止', en: 'to' },
  agent: { zh: '客服', en: 'agent' },
  follower: { zh: '粉丝', en: 'follower' },
  waited: { zh: '等待超过（分钟）', en: 'waited over (minutes)' },
  windows: { zh: '时间段', en: 'time windows' },
  pages: { zh: '页数', en: 'pages' },
  fetched: { zh: '拉取条数', en: 'records fetched' },
  session: { zh: '会话', en: 'session' },
  kf_openid: { zh: '客服 openid', en: 'agent openid' },
};

// Values that are codes, in the reader's language, by the name they come under: a role here; an
// agent's status (an agent removed) and a session's (the Sessions filter of an export, under
// `filter`) as the Agents and Sessions pages name them.
const CODE_VALUES: Record<string, Record<string, Label>> = {
  role: {
    admin: { zh: '管理员', en: 'admin' },
    operator: { zh: '操作员', en: 'operator' },
  },
};
const CODE_CATALOG_PREFIXES: Record<string, string> = { status: 'agents.status.', 'filter.status': 'sessions.status.' };

// An outcome's values (an export's end, an assign or close WeChat did not answer), in the reader's language.
const OUTCOME_VALUES: Record<string, Label> = {
  complete: { zh: '完成', en: 'complete' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  failed: { zh: '失败', en: 'failed' },
  unknown: { zh: '未知（微信没有及时回应，可能已生效）', en: 'unknown (WeChat did not answer in time; it may have happened)' },
  refused: { zh: '微信拒绝，未生效', en: 'refused by WeChat; nothing changed' },
};

/**
 * An audit line's detail as the page shows it: `name=value` pairs and a JSON object (what exports
 * and transcript pulls record) as `name: value`, the names in the reader's language, a WeChat errcode
 * with its meaning, nested objects inline and an empty one as "—"; any other text as written. The
 * CSV keeps the stored text.
 */
export function detailText(detail: string, locale: Locale, opts: { agentName?: (kfAccount: string) => string | undefined } = {}): string {
  const zh = locale === 'zh';
  // An agent account with the nickname staff know them by, when the page knows it.
  const agent = (account: string) => {
    const nickname = opts.agentName?.(account);
    return nickname ? (zh ? `${nickname}（${account}）` : `${nickname} (${account})`) : account;
  };
  const name = (key: string) => (Object.hasOwn(DETAIL_NAMES, key) ? DETAIL_NAMES[key]![locale] : key);
  const code = (path: string, v: string): string => {
    const codes = Object.hasOwn(CODE_VALUES, path) ? CODE_VALUES[path]! : undefined;
    if (codes) return Object.hasOwn(codes, v) ? codes[v]![locale] : v;
    const key = Object.hasOwn(CODE_CATALOG_PREFIXES, path) ? `${CODE_CATALOG_PREFIXES[path]}${v}` : undefined;
    return key && isMessageKey(key) ? translator(locale)(key) : v;
  };
  const value = (path: string, key: string, v: unknown): string => {
    if (isPlainObject(v)) return Object.keys(v).length === 0 ? '—' : zh ? `（${pairs(v, `${path}.`)}）` : `(${pairs(v, `${path}.`)})`;
    if (key === 'outcome' && typeof v === 'string' && Object.hasOwn(OUTCOME_VALUES, v)) return OUTCOME_VALUES[v]![locale];
    const meaning = key === 'errcode' ? describeErrcode(Number(v)) : undefined;
    if (meaning) return `${String(v)}${locale === 'zh' ? `（${meaning.zh}）` : ` (${meaning.en})`}`;
    if (key === 'kf_account' && typeof v === 'string') return agent(v);
    // A change recorded as before → after: each side a code of its own.
    return typeof v === 'string' ? v.split(' → ').map((side) => code(path, side)).join(' → ') : String(v);
  };
  const pairs = (object: Record<string, unknown>, prefix = ''): string => {
    const entries = Object.entries(object);
    // Chinese punctuation in Chinese: 角色：操作员 → 管理员.
    return entries.length === 0 ? '—' : entries.map(([key, v]) => `${name(key)}${zh ? '：' : ': '}${value(prefix + key, key, v)}`).join(' · ');
  };
  // One name and its value as `name: value` (a rename's `nickname: A → B`) or `name:value` (`session:54`).
  const single = /^(\w+):\s?(.*)$/s.exec(detail);
  if (single && !detail.startsWith('{')) return pairs({ [single[1]!]: single[2]! });
  if (/^\w+=/.test(detail)) {
    // inviteWx=amy errcode=65412: each name up to its '=', each value up to the next name.
    const parts = detail.split(/\s*\b(\w+)=/).slice(1);
    const object: Record<string, string> = {};
    for (let i = 0; i + 1 < parts.length; i += 2) object[parts[i]!] = parts[i + 1]!;
    return pairs(object);
  }
  if (!detail.startsWith('{')) return detail;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  return isPlainObject(parsed) ? pairs(parsed) : detail;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
