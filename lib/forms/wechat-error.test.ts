import { describe, expect, it } from 'vitest';
import { translator } from '@/lib/i18n/format';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';
import { wechatErrorMessage } from './wechat-error';

describe('a WeChat refusal in the console', () => {
  it('says what the errcode means in the reader\'s language, with the code', () => {
    const error = new WechatApiError(65409, 'wechat account invalid', '/customservice/kfaccount/inviteworker');
    expect(wechatErrorMessage(error, translator('zh'), 'zh')).toBe(`微信拒绝了请求：${error.meaning.zh}（错误码 65409）`);
    expect(wechatErrorMessage(error, translator('en'), 'en')).toBe(`WeChat refused: ${error.meaning.en} (errcode 65409)`);
  });
  it('says what to switch on for customer service that is not enabled', () => {
    const text = wechatErrorMessage(new WechatApiError(65400, 'please enable new custom service'), translator('zh'), 'zh');
    expect(text).toContain('错误码 65400');
    expect(text).toContain('开通「客服功能」');
  });
  it('names an unknown code as unknown rather than inventing a meaning', () => {
    expect(wechatErrorMessage(new WechatApiError(99999, 'odd'), translator('en'), 'en')).toBe('WeChat refused: Unknown error (errcode 99999)');
  });
  it('says WeChat is unreachable for a network failure, and leaves other errors alone', () => {
    expect(wechatErrorMessage(new WechatNetworkError('timeout', 'x', '/cgi-bin/token'), translator('en'), 'en')).toBe('WeChat cannot be reached right now; try again shortly.');
    expect(wechatErrorMessage(new Error('boom'), translator('en'), 'en')).toBeUndefined();
  });
});
