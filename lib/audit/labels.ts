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
  settings: { zh: '设置', en: 'Settings' },
  live: { zh: '实时操作', en: 'Live actions' },
  session: { zh: '会话', en: 'Sessions' },
  sessions: { zh: '会话', en: 'Sessions' },
  transcripts: { zh: '聊天记录', en: 'Transcripts' },
  follower: { zh: '粉丝', en: 'Followers' },
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
  'settings.hours': { zh: '修改服务时间', en: 'Changed service hours' },
  'settings.keywords': { zh: '修改关键词与排队', en: 'Changed keywords and waiting' },
  'settings.templates': { zh: '修改回复文案', en: 'Changed reply texts' },
  'sessions.export': { zh: '导出会话记录', en: 'Exported sessions' },
  'transcripts.export': { zh: '导出聊天记录', en: 'Exported transcripts' },
  'transcripts.pull': { zh: '拉取聊天记录', en: 'Pulled transcripts' },
  'follower.remark': { zh: '修改粉丝备注', en: 'Changed follower remark' },
  'audit.export': { zh: '导出操作日志', en: 'Exported the audit log' },
};

export function actionLabel(action: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action]![locale] : action;
}

export function kindLabel(kind: string, locale: Locale): string {
  return Object.hasOwn(AUDIT_KINDS, kind) ? AUDIT_KINDS[kind]![locale] : kind;
}
