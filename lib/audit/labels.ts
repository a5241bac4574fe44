// What each audit action is called on the audit page and in its CSV. Features add audit lines under
// their own names (`agent.invite`, `live.close`…); a name missing here is shown as it is written, so
// a new action is never hidden, only less readable until it gets a line here.
import type { Locale } from '@/lib/i18n/format';

type Label = Record<Locale, string>;

/** Families of actions (the part before the first dot), for the kind filter. */
export const AUDIT_KINDS: Record<string, Label> = {
  auth: { zh: '登录', en: 'Sign-in' },
  account: { zh: '个人账号', en: 'Own account' },
  user: { zh: '员工', en: 'Staff' },
  agent: { zh: '客服', en: 'Agents' },
  binding: { zh: '客服绑定', en: 'Agent binding' },
  settings: { zh: '设置', en: 'Settings' },
  live: { zh: '实时操作', en: 'Live actions' },
  session: { zh: '会话', en: 'Sessions' },
  export: { zh: '导出', en: 'Exports' },
  audit: { zh: '操作日志', en: 'Audit log' },
};

export const AUDIT_ACTIONS: Record<string, Label> = {
  'auth.sign_in': { zh: '登录成功', en: 'Signed in' },
  'auth.sign_in_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.sign_in_throttled': { zh: '登录被限制（尝试过多）', en: 'Sign-in blocked (too many attempts)' },
  'account.password_change': { zh: '修改了自己的密码', en: 'Changed own password' },
  'account.sign_out_others': { zh: '退出了其他设备', en: 'Signed out other devices' },
  'user.add': { zh: '添加员工', en: 'Added staff member' },
  'user.role': { zh: '修改员工角色', en: 'Changed staff role' },
  'user.password_reset': { zh: '重置员工密码', en: 'Reset staff password' },
  'user.disable': { zh: '停用员工', en: 'Disabled staff member' },
  'user.enable': { zh: '启用员工', en: 'Enabled staff member' },
  'settings.hours': { zh: '修改服务时间', en: 'Changed service hours' },
  'settings.keywords': { zh: '修改关键词与排队', en: 'Changed keywords and waiting' },
  'settings.templates': { zh: '修改回复文案', en: 'Changed reply texts' },
  'audit.export': { zh: '导出操作日志', en: 'Exported the audit log' },
};

export function actionLabel(action: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action]![locale] : action;
}

export function kindLabel(kind: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_KINDS, kind) ? AUDIT_KINDS[kind]![locale] : kind;
}
