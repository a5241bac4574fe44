// Reply texts: templates with {variables}, editable in the console, with Chinese defaults.

export type TemplateName = 'hint' | 'offHours' | 'queue' | 'agentAlert' | 'greeting' | 'closing' | 'welcome' | 'noAgents';

export const DEFAULT_TEMPLATES: Record<TemplateName, string> = {
  hint: '您好！如需人工客服，请回复「{keyword}」。',
  offHours: '人工客服的服务时间是 {hours}，现在不在服务时间内。请在服务时间内回复「{keyword}」，我们会尽快为您服务。',
  queue: '已为您接入人工客服，当前共有 {count} 人在排队，您排在第 {position} 位，请稍候。',
  agentAlert: '新的客户正在排队等待接入（当前排队 {count} 人），请尽快在客服系统中接入。',
  greeting: '您好，我是客服{agent}，很高兴为您服务。',
  closing: '本次服务已结束，感谢您的耐心。如需再次联系人工客服，请回复「{keyword}」。',
  welcome: '感谢关注！如需人工客服，请回复「{keyword}」。',
  noAgents: '抱歉，人工客服暂未开通，请稍后再试。',
};

/** The variables each template may use; anything else is flagged when a template is edited. */
export const TEMPLATE_VARIABLES: Record<TemplateName, string[]> = {
  hint: ['keyword'],
  offHours: ['hours', 'keyword'],
  queue: ['position', 'count', 'keyword'],
  agentAlert: ['count', 'position'],
  greeting: ['agent', 'keyword'],
  closing: ['keyword', 'agent'],
  welcome: ['keyword', 'hours'],
  noAgents: ['keyword', 'hours'],
};

// WeChat shows about 2048 bytes of a passive text; 600 characters of Chinese stays well inside.
export const MAX_TEMPLATE_LENGTH = 600;
const VARIABLE = /\{(\w+)\}/g;

/** Fills {name} from vars; a name without a value is left as written, so a mistake shows instead of vanishing. */
export function renderTemplate(template: string, vars: Partial<Record<string, string | number>>): string {
  return template.replace(VARIABLE, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

export function validateTemplate(
  name: TemplateName,
  template: string,
): { ok: true } | { ok: false; reason: 'empty' | 'too_long' | 'unknown_variables'; unknown: string[] } {
  if (template.trim() === '') return { ok: false, reason: 'empty', unknown: [] };
  if (template.length > MAX_TEMPLATE_LENGTH) return { ok: false, reason: 'too_long', unknown: [] };
  const allowed = new Set(TEMPLATE_VARIABLES[name]);
  const unknown = [...template.matchAll(VARIABLE)].map((m) => m[1]!).filter((v) => !allowed.has(v));
  return unknown.length ? { ok: false, reason: 'unknown_variables', unknown: [...new Set(unknown)] } : { ok: true };
}
