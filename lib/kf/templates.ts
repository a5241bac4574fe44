// Reply texts: templates with {variables}, editable in the console, with Simplified Chinese defaults.
//
// Rendering never shows a follower a raw placeholder: a known variable without a value becomes empty
// text. Mistakes are caught earlier, by validateTemplate when an admin saves a template. Anything in
// braces that is not a variable ({微笑}, {x}) is left as written, since it may be meant literally.
import { DomainError, type ErrorParams } from '@/lib/errors';
import type { MessageKey } from '@/lib/i18n/format';
import { KNOWN_VARIABLES, renderTemplate, TEMPLATE_VARIABLE as VARIABLE } from '@/lib/render-template';

// The renderer is below both the domain and the outbox (lib/outbox/payloads.ts renders at send time).
export { KNOWN_VARIABLES, renderTemplate };

export type TemplateName =
  | 'hint'
  | 'offHours'
  | 'queue'
  | 'queueNoneOnline'
  | 'waitExpired'
  | 'agentAlert'
  | 'greeting'
  | 'switched'
  | 'closing'
  | 'welcome'
  | 'noAgents'
  | 'bindOk'
  | 'bindInvalid'
  | 'bindLocked';

export const DEFAULT_TEMPLATES: Record<TemplateName, string> = {
  hint: '您好！如需人工客服，请回复「{keyword}」。',
  offHours: '人工客服的服务时间是 {hours}，现在不在服务时间内，将于 {resume} 恢复服务。届时请回复「{keyword}」，我们会尽快为您服务。',
  queue: '正在为您转接人工客服，当前共有 {count} 人在排队，您排在第 {position} 位，请稍候。',
  // The place in line when wekf knows no agent is signed in to WeChat's tool (lib/outbox/payloads.ts).
  queueNoneOnline: '正在为您转接人工客服。目前暂无客服在线，您排在第 {position} 位（共 {count} 人排队），客服上线后会按顺序为您服务，请稍候。',
  // WeChat keeps the follower in its own waiting list, where an agent may still accept them: so it
  // does not say the wait is over, only what to do now.
  waitExpired: '抱歉，客服暂时没能接入您的对话。如仍需人工客服，请再次回复「{keyword}」（服务时间 {hours}）。',
  agentAlert: '新的客户正在排队等待接入（当前排队 {count} 人），请尽快在客服系统中接入。',
  greeting: '您好，我是客服{agent}，很高兴为您服务。',
  switched: '您好，现在由客服{agent}继续为您服务。',
  closing: '本次服务已结束，感谢您的耐心。如需再次联系人工客服，请回复「{keyword}」。',
  welcome: '感谢关注！如需人工客服，请回复「{keyword}」。',
  noAgents: '抱歉，人工客服暂未开通，请稍后再试。',
  // Replies to an agent binding their openid (a QR scan or 「绑定 123456」).
  // A QR scan opens WeChat's window for a minute only (followers.ts GRANTS): alerts need a message.
  bindOk: '已绑定客服账号 {agent}（{kfAccount}）。有客户排队时会在这里提醒您。微信只在您 48 小时内给公众号发过消息时才允许提醒：请现在回复任意一句，之后也不时发条消息。',
  bindInvalid: '绑定码无效、已使用或已过期，请在控制台重新生成。',
  bindLocked: '绑定码错误次数过多，请 {minutes} 分钟后再试。',
};

/**
 * The variables each template may use: what the flow supplies when it sends that text. keyword and
 * hours go with every follower-facing text; agentAlert goes to agents, who need neither.
 */
export const TEMPLATE_VARIABLES: Record<TemplateName, string[]> = {
  hint: ['keyword', 'hours'],
  offHours: ['hours', 'keyword', 'resume'],
  queue: ['position', 'count', 'keyword', 'hours'],
  queueNoneOnline: ['position', 'count', 'keyword', 'hours'],
  waitExpired: ['keyword', 'hours'],
  agentAlert: ['count', 'position'],
  greeting: ['agent', 'keyword', 'hours'],
  switched: ['agent', 'keyword', 'hours'],
  closing: ['keyword', 'hours'],
  welcome: ['keyword', 'hours'],
  noAgents: ['keyword', 'hours'],
  bindOk: ['agent', 'kfAccount'],
  bindInvalid: [],
  bindLocked: ['minutes'],
};

/** Characters (code points) an admin may type. Rendering adds the hours text, so leave room. */
export const MAX_TEMPLATE_LENGTH = 600;
// WeChat cuts a passive text reply at about 2048 bytes; emoji take 4 bytes each, so count bytes too.
export const MAX_TEMPLATE_BYTES = 1800;

export type TemplateCheck =
  | { ok: true }
  | { ok: false; reason: 'empty' | 'too_long' | 'unknown_variables' | 'unclosed_variables' | 'spaced_variables'; unknown: string[] };

// `{position` with no closing brace: sent as written, so a follower would read the placeholder.
// Only for the names of variables; any other brace (`{VIP`, a lone `{`) is text.
const UNCLOSED = /\{([A-Za-z_]\w*)(?![\w}])/g;
const VARIABLE_NAMES = new Set<string>(KNOWN_VARIABLES);
// `{ position }`: a variable's name with spaces inside its braces is not filled in, so a follower
// would read it as written. Only for the names of variables, as above.
const SPACED = /\{\s*([A-Za-z_]\w*)\s*\}/g;

export function validateTemplate(name: TemplateName, template: string): TemplateCheck {
  if (template.trim() === '') return { ok: false, reason: 'empty', unknown: [] };
  const tooLong = [...template].length > MAX_TEMPLATE_LENGTH || new TextEncoder().encode(template).length > MAX_TEMPLATE_BYTES;
  if (tooLong) return { ok: false, reason: 'too_long', unknown: [] };
  const allowed = new Set(TEMPLATE_VARIABLES[name]);
  const unknown = [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]!))].filter((v) => !allowed.has(v));
  if (unknown.length > 0) return { ok: false, reason: 'unknown_variables', unknown };
  // Spaces first: `{count }` would otherwise read as a brace left open.
  const spaced = [...new Set([...template.matchAll(SPACED)].filter((m) => m[0] !== `{${m[1]}}`).map((m) => m[1]!))].filter((v) => VARIABLE_NAMES.has(v));
  if (spaced.length > 0) return { ok: false, reason: 'spaced_variables', unknown: spaced };
  const unclosed = [...new Set([...template.matchAll(UNCLOSED)].map((m) => m[1]!))].filter((v) => VARIABLE_NAMES.has(v));
  return unclosed.length > 0 ? { ok: false, reason: 'unclosed_variables', unknown: unclosed } : { ok: true };
}

export type TemplateCode = Extract<MessageKey, `error.template.${string}`>;

/** A reply text an admin cannot save; the console shows it beside the text's field. */
export class TemplateError extends DomainError {
  declare readonly code: TemplateCode;

  constructor(code: TemplateCode, params: ErrorParams = {}) {
    super(code, params);
    this.name = 'TemplateError';
  }
}

const CODES: Record<Exclude<TemplateCheck, { ok: true }>['reason'], TemplateCode> = {
  empty: 'error.template.empty',
  too_long: 'error.template.tooLong',
  unknown_variables: 'error.template.unknownVariables',
  unclosed_variables: 'error.template.unclosedVariables',
  spaced_variables: 'error.template.spacedVariables',
};

/** The catalog code and its parameters for a text that cannot be saved, for a form's field. */
export function templateProblem(check: Exclude<TemplateCheck, { ok: true }>): { code: TemplateCode; params: Record<string, string | number> } {
  const names = check.unknown.map((v) => `{${v}}`).join(' ');
  return { code: CODES[check.reason], params: check.reason === 'too_long' ? { max: MAX_TEMPLATE_LENGTH } : names ? { names } : {} };
}

/** validateTemplate for a use case that saves: throws a TemplateError naming what is wrong. */
export function assertValidTemplate(name: TemplateName, template: string): void {
  const check = validateTemplate(name, template);
  if (check.ok) return;
  const problem = templateProblem(check);
  throw new TemplateError(problem.code, problem.params);
}
