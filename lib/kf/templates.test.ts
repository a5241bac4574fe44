import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, renderTemplate, TEMPLATE_VARIABLES, validateTemplate, type TemplateName } from './templates';

describe('renderTemplate', () => {
  it('fills every known variable', () => {
    expect(renderTemplate(DEFAULT_TEMPLATES.queue, { count: 3, position: 2 })).toBe(
      '已为您接入人工客服，当前共有 3 人在排队，您排在第 2 位，请稍候。',
    );
  });

  it('leaves a variable without a value as written, so the mistake is visible', () => {
    expect(renderTemplate('hi {agent} {nope}', { agent: '小安' })).toBe('hi 小安 {nope}');
  });
});

describe('validateTemplate', () => {
  it('accepts every default', () => {
    for (const name of Object.keys(DEFAULT_TEMPLATES) as TemplateName[]) {
      expect(validateTemplate(name, DEFAULT_TEMPLATES[name])).toEqual({ ok: true });
    }
  });

  it('flags variables the template cannot use', () => {
    expect(validateTemplate('hint', '回复{keyword}，你排第{position}位')).toEqual({
      ok: false,
      reason: 'unknown_variables',
      unknown: ['position'],
    });
  });

  it('refuses an empty or overlong text', () => {
    expect(validateTemplate('welcome', '  ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(validateTemplate('welcome', '好'.repeat(601))).toMatchObject({ ok: false, reason: 'too_long' });
  });

  it('documents the variables of every template', () => {
    expect(Object.keys(TEMPLATE_VARIABLES).sort()).toEqual(Object.keys(DEFAULT_TEMPLATES).sort());
  });
});
