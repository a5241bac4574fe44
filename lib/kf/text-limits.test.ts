import { describe, expect, it } from 'vitest';
import { textLimitOf, utf8Bytes } from './text-limits';

describe('reply text limits', () => {
  it('counts UTF-8 bytes: 3 for a Chinese character, 4 for an emoji', () => {
    expect(utf8Bytes('ab')).toBe(2);
    expect(utf8Bytes('客服')).toBe(6);
    expect(utf8Bytes('😀')).toBe(4);
  });

  it('holds passive replies to bytes and customer-service messages to characters', () => {
    expect(textLimitOf('offHours')).toEqual({ unit: 'bytes', max: 2048 });
    expect(textLimitOf('queue')).toEqual({ unit: 'chars', max: 2048 });
    // A text added later is held to the stricter limit until it is classified.
    expect(textLimitOf('bindingDone')).toEqual({ unit: 'bytes', max: 2048 });
  });
});
