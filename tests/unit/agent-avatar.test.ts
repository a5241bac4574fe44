import { describe, expect, it } from 'vitest';
import { avatarInitials } from '@/app/(console)/agents/_components/agent-avatar';

describe('avatarInitials', () => {
  it('tells apart agents whose Chinese names share a first character, and takes a Latin name by its first letter', () => {
    expect(['小王', '小李', '小赵'].map(avatarInitials)).toEqual(['小王', '小李', '小赵']);
    expect(avatarInitials('王小明')).toBe('小明');
    expect(avatarInitials('amy lee')).toBe('A');
    expect(avatarInitials('  ')).toBe('?');
  });
});
