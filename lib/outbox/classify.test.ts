import { describe, expect, it } from 'vitest';
import { WechatApiError, WechatNetworkError } from '@/lib/wechat/errors';
import { classifySendFailure } from './classify';
import { FAILURE_REASONS } from './skip-reasons';

const SEND = '/cgi-bin/message/custom/send';

describe('classifySendFailure', () => {
  it('does not send again what WeChat may have had: a timeout or a fresh connection dropped after the whole request', () => {
    expect(classifySendFailure(new WechatNetworkError('timeout', SEND, 'timed out', { maybeDelivered: true }))).toMatchObject({ action: 'final', reason: FAILURE_REASONS.unconfirmed });
    expect(classifySendFailure(new WechatNetworkError('network', SEND, 'dropped', { maybeDelivered: true }))).toMatchObject({ action: 'final', reason: FAILURE_REASONS.dropped });
    expect(classifySendFailure(new WechatNetworkError('unreadable', SEND, 'cut short', { maybeDelivered: true }))).toMatchObject({ action: 'final', reason: FAILURE_REASONS.unreadable });
  });

  it('retries when the access token could not be had, however that call failed: the message never left', () => {
    for (const path of ['/cgi-bin/stable_token', '/cgi-bin/token']) {
      expect(classifySendFailure(new WechatNetworkError('timeout', path, `${path} timed out`, { maybeDelivered: true }))).toMatchObject({ action: 'retry', errcode: null });
      expect(classifySendFailure(new WechatApiError(45009, 'reach max api daily quota limit', path))).toMatchObject({ action: 'retry', errcode: 45009 });
      expect(classifySendFailure(new WechatApiError(40164, 'invalid ip', path))).toMatchObject({ action: 'retry', errcode: 40164 });
    }
  });

  it('keeps the send’s own refusals final or retried by errcode', () => {
    expect(classifySendFailure(new WechatApiError(45015, 'response out of time limit', SEND))).toMatchObject({ action: 'final', errcode: 45015 });
    expect(classifySendFailure(new WechatApiError(-1, 'system error', SEND))).toMatchObject({ action: 'retry', errcode: -1 });
  });
});
