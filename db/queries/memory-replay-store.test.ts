import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from './memory-replay-store';
import type { PushQuery } from './replay-store';

/** A body's hash as the webhook makes it (SHA-256, base64url). */
const h = (body: string) => createHash('sha256').update(body).digest('base64url');
const query = (over: Partial<PushQuery> = {}): PushQuery => ({ timestamp: '1000', nonce: '1', signature: 'a'.repeat(40), bodyHash: h('1'), ...over });
/** A signature of 40 hex digits ending in `end`. */
const sig = (end: string) => end.padStart(40, '0');
/** Signature i of n, its first byte (the shard) i % 256, the rest unlike any other's. */
const spread = (i: number) => (i % 256).toString(16).padStart(2, '0') + i.toString(16).padStart(38, '0');

describe('MemoryReplayStore', () => {
  it('admits a query the first time and again with the same body, and refuses it with another', () => {
    const store = new MemoryReplayStore();
    expect(store.admit(query())).toBe(true);
    expect(store.admit(query())).toBe(true);
    expect(store.admit(query({ bodyHash: h('2') }))).toBe(false);
    // The first body seen is kept: a refused one does not take its place.
    expect(store.bodyHashOf('a'.repeat(40))).toBe(h('1'));
    expect(store.size).toBe(1);
  });

  it('knows a query by its signature, so a re-split timestamp and nonce that sign alike is refused with another body', () => {
    const store = new MemoryReplayStore();
    expect(store.admit(query({ timestamp: '12', nonce: '345' }))).toBe(true);
    expect(store.admit(query({ timestamp: '123', nonce: '45', bodyHash: h('2') }))).toBe(false);
  });

  it('tells apart signatures that share the bytes choosing their table and their first slot', () => {
    const store = new MemoryReplayStore();
    const a = 'ab' + '12345678' + '0'.repeat(30);
    const b = 'ab' + '12345678' + '0'.repeat(29) + '1';
    expect(store.admit(query({ signature: a, bodyHash: h('a') }))).toBe(true);
    expect(store.admit(query({ signature: b, bodyHash: h('b') }))).toBe(true);
    expect(store.bodyHashOf(a)).toBe(h('a'));
    expect(store.bodyHashOf(b)).toBe(h('b'));
    expect(store.admit(query({ signature: b, bodyHash: h('a') }))).toBe(false);
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
    expect(store.bodyHashOf(sig('02'))).toBe(h('1'));
    expect(store.forgetBefore(100)).toBe(0);
    // Forgotten, a query is new again (the freshness check refuses it before the store is asked).
    expect(store.admit(query({ timestamp: '99', signature: sig('01'), bodyHash: h('other') }))).toBe(true);
  });

  it('refuses a signature that is not 40 lowercase hex digits, a body hash that is not a SHA-256 or a timestamp that is not whole seconds, and keeps nothing of it', () => {
    const store = new MemoryReplayStore();
    expect(() => store.admit(query({ signature: 'A'.repeat(40) }))).toThrow(/40 hex digits/);
    expect(() => store.admit(query({ signature: 'a'.repeat(39) }))).toThrow(/40 hex digits/);
    expect(() => store.admit(query({ bodyHash: 'h1' }))).toThrow(/SHA-256/);
    expect(() => store.admit(query({ bodyHash: h('1') + 'x' }))).toThrow(/SHA-256/);
    expect(() => store.admit(query({ timestamp: String(2 ** 32) }))).toThrow(/whole seconds/);
    expect(() => store.admit(query({ timestamp: '12.5' }))).toThrow(/whole seconds/);
    expect(store.size).toBe(0);
  });
});

describe('MemoryReplayStore as it grows and forgets', () => {
  it('keeps every query through its tables growing, and finds each by its signature', () => {
    const store = new MemoryReplayStore();
    // 40,000: each of the 64 tables grows from 64 slots to 1,024 and more.
    for (let i = 0; i < 40_000; i++) expect(store.admit(query({ signature: spread(i), timestamp: String(1000 + (i % 7)), bodyHash: h(String(i)) }))).toBe(true);
    expect(store.size).toBe(40_000);
    for (let i = 0; i < 40_000; i += 97) expect(store.bodyHashOf(spread(i))).toBe(h(String(i)));
    expect(store.admit(query({ signature: spread(12_345), bodyHash: h('another body') }))).toBe(false);
    expect(store.bodyHashOf(spread(40_000))).toBeUndefined();
  });

  it('finds the queries it kept past the ones it forgot, and reuses their room', () => {
    const store = new MemoryReplayStore();
    // Rounds of 3,000 queries, each second's forgotten two rounds on: the tables fill with
    // forgotten slots and are rebuilt without them as new queries come.
    let next = 0;
    for (let round = 0; round < 12; round++) {
      for (let k = 0; k < 3_000; k++, next++) store.admit(query({ signature: spread(next), timestamp: String(2000 + round), bodyHash: h(String(next)) }));
      if (round >= 2) expect(store.forgetBefore(2000 + round - 1)).toBe(3_000);
      expect(store.size).toBe(Math.min(round + 1, 2) * 3_000);
    }
    // What is left: the last two rounds, all of them, and nothing older.
    for (let i = next - 6_000; i < next; i++) expect(store.bodyHashOf(spread(i))).toBe(h(String(i)));
    for (let i = 0; i < next - 6_000; i += 13) expect(store.bodyHashOf(spread(i))).toBeUndefined();
  });
});

describe('MemoryReplayStore entries', () => {
  it('gives back each query, as the table stores it but for the nonce it does not keep, for the save at a clean stop', () => {
    const store = new MemoryReplayStore();
    const signature = 'f'.repeat(8) + '0123456789abcdef'.repeat(2);
    store.admit({ timestamp: '1780000000', nonce: '1234567890123456789', signature, bodyHash: h('x') });
    store.remember({ signature: sig('ab'), timestamp: 1780000001, nonce: '42', bodyHash: h('y') });
    expect([...store.entries()].sort((a, b) => a.timestamp - b.timestamp)).toEqual([
      { signature, timestamp: 1780000000, nonce: '', bodyHash: h('x') },
      { signature: sig('ab'), timestamp: 1780000001, nonce: '', bodyHash: h('y') },
    ]);
    // Remembering a query already held changes nothing: the first body stays.
    store.remember({ signature, timestamp: 1780000005, nonce: '7', bodyHash: h('other') });
    expect(store.size).toBe(2);
    expect(store.bodyHashOf(signature)).toBe(h('x'));
  });
});
