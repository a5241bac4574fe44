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

  it('says no agent is online only when told so at send time, and only for a payload that has that text', () => {
    const place = textPayload('number {position} of {count}', { whileWaiting: 3, placeVars: {}, noneOnline: 'nobody online; number {position} of {count}' });
    expect(textToSend(place, { position: 1, count: 2, noAgentOnline: true })).toBe('nobody online; number 1 of 2');
    expect(textToSend(place, { position: 1, count: 2, noAgentOnline: false })).toBe('number 1 of 2');
    const alert = textPayload('{count} waiting', { whileWaiting: 3, placeVars: {} });
    expect(textToSend(alert, { position: 1, count: 2, noAgentOnline: true })).toBe('2 waiting');
  });
});
