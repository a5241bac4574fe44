import { describe, expect, it } from 'vitest';
import { textPayload, textToSend } from './payloads';

describe('textToSend', () => {
  it('fills a place-in-line template with the place held at send time, in one pass', () => {
    const payload = textPayload('{keyword}: {count} waiting, you are number {position}', {
      whileWaiting: 3,
      placeVars: { keyword: '{position}', hours: '9-5' },
    });
    expect(textToSend(payload, { position: 2, count: 7 })).toBe('{position}: 7 waiting, you are number 2');
    expect(textToSend(textPayload('hello'), { position: 2, count: 7 })).toBe('hello');
  });
});
