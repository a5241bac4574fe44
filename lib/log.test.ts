import { describe, expect, it } from 'vitest';
import { errorText, maskOpenid } from './log';

describe('errorText', () => {
  it('keeps the message of a plain Error and never its stack', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorText(error)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorText(error)).not.toContain(' at ');
  });

  it('names errors of other kinds, and caps the length', () => {
    expect(errorText(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorText(new Error('x'.repeat(1000)))).toHaveLength(300);
    expect(errorText('thrown text')).toBe('thrown text');
  });
});

describe('maskOpenid', () => {
  it('keeps a few characters at each end and hides the rest', () => {
    expect(maskOpenid('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toBe('oUpF…S6o');
    expect(maskOpenid('short')).toBe('***');
  });
});
