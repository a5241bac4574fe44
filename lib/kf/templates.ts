// Reply texts: templates with {variables}, editable in the console, with Simplified Chinese defaults.
//
// Rendering never shows a follower a raw placeholder: a known variable without a value becomes empty
// text. Mistakes are caught earlier, by validateTemplate when an admin saves a template. Anything in
// braces that is not a variable ({微笑}, {x}) is left as written, since it may be meant literally.

export type TemplateName = 'hint' | 'offHours' | 'queue' | 'agentAlert' | 'greeting' | 'closing' | 'welcome' | 'noAgents';

export const DEFAULT_TEMPLATES: Record<TemplateName, string> = {
  hint: '您好！如需人工客服，请回复「{keyword}」。',
  offHours: '人工客服的服务时间是 {hours}，现在不在服务时间内，将于 {resume} 恢复服务。届时请回复「{keyword}」，我们会尽快为您服务。',
  queue: '已为您接入人工客服，当前共有 {count} 人在排队，您排在第 {position} 位，请稍候。',
  agentAlert: '新的客户正在排队等待接入（当前排队 {count} 人），请尽快在客服系统中接入。',
  greeting: '您好，我是客服{agent}，很高兴为您服务。',
  closing: '本次服务已结束，感谢您的耐心。如需再次联系人工客服，请回复「{keyword}」。',
  welcome: '感谢关注！如需人工客服，请回复「{keyword}」。',
  noAgents: '抱歉，人工客服暂未开通，请稍后再试。',
};

/** Every variable a template may contain; each template may use only some of them. */
export const KNOWN_VARIABLES = ['position', 'count', 'hours', 'keyword', 'agent', 'resume'] as const;

/**
 * The variables each template may use: what the flow supplies when it sends that text. keyword and
 * hours go with every follower-facing text; agentAlert goes to agents, who need neither.
 */
export const TEMPLATE_VARIABLES: Record<TemplateName, string[]> = {
  hint: ['keyword', 'hours'],
  offHours: ['hours', 'keyword', 'resume'],
  queue: ['position', 'count', 'keyword', 'hours'],
  agentAlert: ['count', 'position'],
  greeting: ['agent', 'keyword', 'hours'],
  closing: ['keyword', 'hours'],
  welcome: ['keyword', 'hours'],
  noAgents: ['keyword', 'hours'],
};

/** Characters (code points) an admin may type. Rendering adds the hours text, so leave room. */
export const MAX_TEMPLATE_LENGTH = 600;
// WeChat cuts a passive text reply at about 2048 bytes; emoji take 4 bytes each, so count bytes too.
export const MAX_TEMPLATE_BYTES = 1800;

const VARIABLE = /\{([A-Za-z_]\w*)\}/g;
const known = new Set<string>(KNOWN_VARIABLES);

function valueOf(vars: Partial<Record<string, string | number>>, name: string): string | undefined {
  // Own properties only: "{constructor}" must not render Object's constructor.
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return value == null ? undefined : String(value);
}

/** Fills each {name} in one pass, so a value containing "{keyword}" is not filled again. Never throws. */
export function renderTemplate(template: string, vars: Partial<Record<string, string | number>>): string {
  return template.replace(VARIABLE, (whole, name: string) => valueOf(vars, name) ?? (known.has(name) ? '' : whole));
}

export type TemplateCheck =
  | { ok: true }
  | { ok: false; reason: 'empty' | 'too_long' | 'unknown_variables'; unknown: string[] };

export function validateTemplate(name: TemplateName, template: string): TemplateCheck {
  if (template.trim() === '') return { ok: false, reason: 'empty', unknown: [] };
  const tooLong = [...template].length > MAX_TEMPLATE_LENGTH || new TextEncoder().encode(template).length > MAX_TEMPLATE_BYTES;
  if (tooLong) return { ok: false, reason: 'too_long', unknown: [] };
  const allowed = new Set(TEMPLATE_VARIABLES[name]);
  const unknown = [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]!))].filter((v) => !allowed.has(v));
  return unknown.length > 0 ? { ok: false, reason: 'unknown_variables', unknown } : { ok: true };
}
