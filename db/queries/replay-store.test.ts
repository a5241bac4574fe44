import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, type PushQuery } from './replay-store';

const query = (over: Partial<PushQuery> = {}): PushQuery => ({ timestamp: '1000', nonce: '1', signature: 'a'.repeat(40), bodyHash: 'h1', ...over });
/** A signature of 40 hex digits ending in `end`. */
const sig = (end: string) => end.padStart(40, '0');

describe('MemoryReplayStore', () => {
  it('admits a query the first time and again with the same body, and refuses it with another', () => {
    const store = new MemoryReplayStore();
    expect(store.admit(query())).toBe(true);
    expect(store.admit(query())).toBe(true);
    expect(store.admit(query({ bodyHash: 'h2' }))).toBe(false);
    // The first body seen is kept: a refused one does not take its place.
    expect(store.bodyHashOf('a'.repeat(40))).toBe('h1');
    expect(store.size).toBe(1);
  });

  it('knows a query by its signature, so a re-split timestamp and nonce that sign alike is refused with another body', () => {
    const store = new MemoryReplayStore();
    expect(store.admit(query({ timestamp: '12', nonce: '345' }))).toBe(true);
    expect(store.admit(query({ timestamp: '123', nonce: '45', bodyHash: 'h2' }))).toBe(false);
  });

  it('forgets only the queries whose timestamp is before the cut', () => {
    const store = new MemoryReplayStore();
    store.admit(query({ timestamp: '99', signature: sig('01') }));
    store.admit(query({ timestamp: '100', signature: sig('02') }));
    store.admit(query({ timestamp: '99', signature: sig('03') }));
    store.admit(query({ timestamp: '101', signature: sig('04') }));
    expect(store.forgetBefore(100)).toBe(2);
    expect(store.size).toBe(2);
    expect(store.bodyHashOf(sig('01'))).toBeUndefined();
    expect(store.bodyHashOf(sig('02'))).toBe('h1');
    expect(store.forgetBefore(100)).toBe(0);
    // Forgotten, a query is new again (the freshness check refuses it before the store is asked).
    expect(store.admit(query({ timestamp: '99', signature: sig('01'), bodyHash: 'other' }))).toBe(true);
  });
});

describe('MemoryReplayStore over its shards', () => {
  it('finds, forgets and gives back queries whatever their first byte, which picks the map they are kept in', () => {
    const store = new MemoryReplayStore();
    // 512 signatures, two for every first byte, in two timestamp seconds.
    const signatureOf = (i: number) => (i % 256).toString(16).padStart(2, '0') + i.toString(16).padStart(38, '0');
    for (let i = 0; i < 512; i++) expect(store.admit(query({ signature: signatureOf(i), timestamp: String(1000 + (i % 2)), bodyHash: `h${i}` }))).toBe(true);
    expect(store.size).toBe(512);
    for (let i = 0; i < 512; i++) expect(store.bodyHashOf(signatureOf(i))).toBe(`h${i}`);
    expect(store.admit(query({ signature: signatureOf(300), timestamp: '1000', bodyHash: 'other' }))).toBe(false);
    expect(store.forgetBefore(1001)).toBe(256);
    expect(store.size).toBe(256);
    expect([...store.entries()].map((e) => e.signature).sort()).toEqual(
      Array.from({ length: 256 }, (_, k) => signatureOf(2 * k + 1)).sort(),
    );
  });
});

describe('MemoryReplayStore entries', () => {
  it('gives back each query whole, as the table stores it, for the save at a clean stop', () => {
    const store = new MemoryReplayStore();
    const signature = 'f'.repeat(8) + '0123456789abcdef'.repeat(2);
    store.admit({ timestamp: '1780000000', nonce: '1234567890123456789', signature, bodyHash: 'x'.repeat(43) });
    store.remember({ signature: sig('ab'), timestamp: 1780000001, nonce: '42', bodyHash: 'h2' });
    expect([...store.entries()]).toEqual([
      { signature, timestamp: 1780000000, nonce: '1234567890123456789', bodyHash: 'x'.repeat(43) },
      { signature: sig('ab'), timestamp: 1780000001, nonce: '42', bodyHash: 'h2' },
    ]);
    // Remembering a query already held changes nothing: the first body stays.
    store.remember({ signature, timestamp: 1780000005, nonce: '7', bodyHash: 'other' });
    expect(store.size).toBe(2);
    expect(store.bodyHashOf(signature)).toBe('x'.repeat(43));
  });

  it('refuses a signature that is not 40 lowercase hex digits instead of filing it under another key', () => {
    const store = new MemoryReplayStore();
    expect(() => store.admit(query({ signature: 'A'.repeat(40) }))).toThrow(/40 hex digits/);
    expect(() => store.admit(query({ signature: 'a'.repeat(39) }))).toThrow(/40 hex digits/);
    expect(store.size).toBe(0);
  });
});
