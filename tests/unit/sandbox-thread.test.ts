import { describe, expect, it } from 'vitest';
import { lastActiveFirst } from '@/app/(console)/sandbox/_components/thread';

describe('lastActiveFirst', () => {
  it('keeps the last active followers, newest first, and among the silent the one added last', () => {
    const followers = ['a', 'b', 'c', 'd'].map((openid) => ({ openid }));
    const history = [
      { openid: 'a', at: 10 },
      { openid: 'b', at: 30 },
      { openid: 'a', at: 40 },
    ];
    expect(lastActiveFirst(followers, history, 3).map((f) => f.openid)).toEqual(['a', 'b', 'd']);
    expect(lastActiveFirst(followers, history, 10).map((f) => f.openid)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('keeps every follower waiting or with an agent, however long ago they were active', () => {
    const followers = ['a', 'b', 'c'].map((openid) => ({ openid }));
    const history = [
      { openid: 'a', at: 10 },
      { openid: 'b', at: 30 },
      { openid: 'c', at: 20 },
    ];
    expect(lastActiveFirst(followers, history, 1, new Set(['a'])).map((f) => f.openid)).toEqual(['b', 'a']);
  });
});
