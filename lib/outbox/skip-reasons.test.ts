import { describe, expect, it } from 'vitest';
import { translator } from '@/lib/i18n/format';
import { FAILURE_REASONS, SKIP_REASONS, skipReasonKey } from './skip-reasons';

describe('skip reasons', () => {
  it('says each stored reason in the reader\'s language, and any other text as it is', () => {
    const zh = translator('zh');
    expect(zh(skipReasonKey(SKIP_REASONS.notWaiting)!)).toBe('粉丝已不在排队。');
    for (const reason of Object.values(SKIP_REASONS)) {
      const key = skipReasonKey(reason);
      expect(key, reason).toMatch(/^session\.skip\./);
      expect(translator('en')(key!)).not.toBe(key);
    }
    expect(translator('en')(skipReasonKey(FAILURE_REASONS.unconfirmed)!)).toMatch(/^WeChat did not answer within 10 seconds/);
    expect(skipReasonKey('follower unsubscribed')).toBeUndefined();
    expect(skipReasonKey(null)).toBeUndefined();
  });
});
