import { describe, expect, it } from 'vitest';
import {
  assertValidTemplate,
  DEFAULT_TEMPLATES,
  KNOWN_VARIABLES,
  MAX_TEMPLATE_LENGTH,
  renderTemplate,
  TemplateError,
  TEMPLATE_VARIABLES,
  validateTemplate,
  type TemplateName,
} from './templates';

const NAMES = Object.keys(DEFAULT_TEMPLATES) as TemplateName[];
const ALL_VARS = { position: 2, count: 3, hours: '每天 09:00-18:00', keyword: '客服', agent: '小安', resume: '明天 09:00' };

describe('renderTemplate', () => {
  it('fills every variable of a default text', () => {
    expect(renderTemplate(DEFAULT_TEMPLATES.queue, { count: 3, position: 2 })).toBe(
      '正在为您转接人工客服，当前共有 3 人在排队，您排在第 2 位，请稍候。',
    );
    expect(renderTemplate(DEFAULT_TEMPLATES.offHours, ALL_VARS)).toBe(
      '人工客服的服务时间是 每天 09:00-18:00，现在不在服务时间内，将于 明天 09:00 恢复服务。届时请回复「客服」，我们会尽快为您服务。',
    );
  });

  it('leaves no placeholder in any default text once its variables are given', () => {
    for (const name of NAMES) expect(renderTemplate(DEFAULT_TEMPLATES[name], ALL_VARS)).not.toMatch(/[{}]/);
  });

  it('fills a variable used more than once, and numbers including 0', () => {
    expect(renderTemplate('{count}/{count}', { count: 0 })).toBe('0/0');
  });

  it('renders a known variable without a value as empty, so a follower never sees a placeholder', () => {
    expect(renderTemplate('您好，我是客服{agent}。{resume}', {})).toBe('您好，我是客服。');
  });

  it('leaves braces that are not a known variable as written', () => {
    expect(renderTemplate('hi {agent} {nope} {微笑} { agent } {', { agent: '小安' })).toBe('hi 小安 {nope} {微笑} { agent } {');
  });

  it('fills any other name it is given a value for', () => {
    expect(renderTemplate('{shop} 欢迎您', { shop: '小店' })).toBe('小店 欢迎您');
  });

  it('does not fill a value a second time, so an agent nickname cannot inject a variable', () => {
    expect(renderTemplate('{agent} / {keyword}', { agent: '{keyword}', keyword: '客服' })).toBe('{keyword} / 客服');
  });

  it('keeps the outer braces of a doubled variable', () => {
    expect(renderTemplate('{{keyword}}', { keyword: '客服' })).toBe('{客服}');
  });

  it('never takes a value from Object.prototype', () => {
    expect(renderTemplate('{constructor}{toString}{__proto__}{hasOwnProperty}', {})).toBe('{constructor}{toString}{__proto__}{hasOwnProperty}');
  });
});

describe('validateTemplate', () => {
  it('accepts every default', () => {
    for (const name of NAMES) expect(validateTemplate(name, DEFAULT_TEMPLATES[name])).toEqual({ ok: true });
  });

  it('accepts text with no variables at all', () => {
    expect(validateTemplate('queue', '请稍候')).toEqual({ ok: true });
  });

  it('flags variables the template cannot use, once each, in order of appearance', () => {
    expect(validateTemplate('hint', '回复{keyword}，你排第{position}位，{x}，{position}')).toEqual({
      ok: false,
      reason: 'unknown_variables',
      unknown: ['position', 'x'],
    });
  });

  it('flags a variable left without its closing brace, which a follower would read as written', () => {
    expect(validateTemplate('queue', '您排在第 {position 位，共 {count} 人')).toEqual({ ok: false, reason: 'unclosed_variables', unknown: ['position'] });
    expect(validateTemplate('queue', '第 {position}')).toEqual({ ok: true });
    // Braces around anything else are text.
    expect(validateTemplate('queue', '{VIP 专线} {position} {')).toEqual({ ok: true });
    expect(() => assertValidTemplate('queue', '{count')).toThrow(expect.objectContaining({ code: 'error.template.unclosedVariables', params: { names: '{count}' } }));
  });

  it('flags a variable written with spaces inside its braces, which is not filled in', () => {
    expect(validateTemplate('queue', '您排在第 { position } 位，共 {count } 人')).toEqual({ ok: false, reason: 'spaced_variables', unknown: ['position', 'count'] });
    // Braces with spaces around anything else are text.
    expect(validateTemplate('queue', '{ VIP 专线 } { 微笑 } {position}')).toEqual({ ok: true });
    expect(() => assertValidTemplate('queue', '第 { position } 位')).toThrow(expect.objectContaining({ code: 'error.template.spacedVariables', params: { names: '{position}' } }));
  });

  it('flags {agent} in the closing text, which is sent after the agent has left', () => {
    expect(validateTemplate('closing', '{agent}祝您愉快')).toMatchObject({ ok: false, unknown: ['agent'] });
  });

  it('allows {resume} only in the off-hours text', () => {
    expect(validateTemplate('offHours', '{resume}恢复服务')).toEqual({ ok: true });
    expect(validateTemplate('welcome', '{resume}恢复服务')).toMatchObject({ ok: false, unknown: ['resume'] });
  });

  it('refuses an empty or blank text', () => {
    expect(validateTemplate('welcome', '')).toEqual({ ok: false, reason: 'empty', unknown: [] });
    expect(validateTemplate('welcome', ' \n　')).toEqual({ ok: false, reason: 'empty', unknown: [] });
  });

  it('accepts 600 characters and refuses 601', () => {
    expect(validateTemplate('welcome', '好'.repeat(MAX_TEMPLATE_LENGTH))).toEqual({ ok: true });
    expect(validateTemplate('welcome', '好'.repeat(MAX_TEMPLATE_LENGTH + 1))).toEqual({ ok: false, reason: 'too_long', unknown: [] });
  });

  it('counts an emoji as one character but refuses text over 1800 bytes', () => {
    expect(validateTemplate('welcome', '😀'.repeat(450))).toEqual({ ok: true });
    expect(validateTemplate('welcome', '😀'.repeat(451))).toMatchObject({ ok: false, reason: 'too_long' });
  });
});

describe('TEMPLATE_VARIABLES', () => {
  it('lists the variables of every template, all of them known', () => {
    expect(Object.keys(TEMPLATE_VARIABLES).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(KNOWN_VARIABLES).toEqual(expect.arrayContaining(TEMPLATE_VARIABLES[name]));
  });

  it('lets the queue text use the place in line and the alert for agents use the count', () => {
    expect(TEMPLATE_VARIABLES.queue).toEqual(expect.arrayContaining(['position', 'count']));
    expect(TEMPLATE_VARIABLES.agentAlert).toContain('count');
    expect(TEMPLATE_VARIABLES.greeting).toContain('agent');
  });
});

describe('assertValidTemplate', () => {
  it('accepts a valid text', () => {
    expect(() => assertValidTemplate('queue', DEFAULT_TEMPLATES.queue)).not.toThrow();
  });

  it('names each problem by a code the console translates', () => {
    expect(() => assertValidTemplate('welcome', ' ')).toThrow(expect.objectContaining({ code: 'error.template.empty', params: {} }));
    expect(() => assertValidTemplate('welcome', '好'.repeat(MAX_TEMPLATE_LENGTH + 1))).toThrow(
      expect.objectContaining({ code: 'error.template.tooLong', params: { max: MAX_TEMPLATE_LENGTH } }),
    );
    expect(() => assertValidTemplate('closing', '{agent}{x}祝您愉快')).toThrow(
      expect.objectContaining({ code: 'error.template.unknownVariables', params: { names: '{agent} {x}' } }),
    );
  });

  it('throws a TemplateError whose message is English for logs', () => {
    expect(() => assertValidTemplate('closing', '{agent}')).toThrow(TemplateError);
    expect(() => assertValidTemplate('closing', '{agent}')).toThrow('{agent} cannot be used in this text.');
  });
});
