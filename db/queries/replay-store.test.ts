import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, type PushQuery } from './replay-store';

const query = (over: Partial<PushQuery> = {}): PushQuery => ({ timestamp: '1000', nonce: '1', signature: 'a'.repeat(40), bodyHash: 'h1', ...over });

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
    store.admit(query({ timestamp: '99', signature: '01' }));
    store.admit(query({ timestamp: '100', signature: '02' }));
    store.admit(query({ timestamp: '99', signature: '03' }));
    store.admit(query({ timestamp: '101', signature: '04' }));
    expect(store.forgetBefore(100)).toBe(2);
    expect(store.size).toBe(2);
    expect(store.bodyHashOf('01')).toBeUndefined();
    expect(store.bodyHashOf('02')).toBe('h1');
    expect(store.forgetBefore(100)).toBe(0);
    // Forgotten, a query is new again (the freshness check refuses it before the store is asked).
    expect(store.admit(query({ timestamp: '99', signature: '01', bodyHash: 'other' }))).toBe(true);
  });
});
