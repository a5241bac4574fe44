import { describe, expect, it } from 'vitest';
import {
  describeErrcode,
  stripErrmsgTrace,
  WECHAT_ERRCODES,
  WECHAT_ERRMSG,
  WechatApiError,
  WechatNetworkError,
  WechatProtocolError,
} from './errors';

// Every code listed in PROTOCOL.md §5.3, §6.4 and §6.7.
const DOCUMENTED = [
  -1, 40001, 40014, 41001, 42001, 40164, 45009, 45011, 48001, 43002, 47001, 44002, // §5.3
  0, 65400, 65401, 65402, 65403, 65404, 65405, 65406, 65407, 65408, 65409, 65410, 65411, 65412, 65413, 65414,
  65415, 65416, 65417, 40005, 40009, 40003, 61450, 61451, 61452, 61453, 61454, 61455, 61456, 61457, // §6.4
  45015, 45047, 43004, 45008, 45002, 40007, 48002, 43019, 70000, // §6.7
];

describe('errcode table', () => {
  it.each(DOCUMENTED)('has a Chinese and English meaning for %i', (code) => {
    const meaning = describeErrcode(code);
    expect(meaning?.zh).toMatch(/\S/);
    expect(meaning?.en).toMatch(/\S/);
  });

  it('returns undefined for a code it does not know', () => {
    expect(describeErrcode(99999)).toBeUndefined();
  });

  it('keeps the exact English errmsg WeChat returns', () => {
    expect(WECHAT_ERRMSG[45015]).toBe('response out of time limit or subscription is canceled');
    expect(WECHAT_ERRMSG[65400]).toBe('please enable new custom service, or wait for a while if you have enabled');
    expect(WECHAT_ERRMSG[42001]).toBe('access_token expired');
    expect(WECHAT_ERRMSG[0]).toBe('ok');
  });

  it('lists an errmsg only for codes whose wire text is known', () => {
    expect(WECHAT_ERRMSG[70000]).toBeUndefined();
    expect(Object.keys(WECHAT_ERRMSG).length).toBeLessThan(Object.keys(WECHAT_ERRCODES).length);
  });
});

describe('stripErrmsgTrace', () => {
  it.each([
    ['invalid credential rid: 658cff8e-7783352d-44cb33e5', 'invalid credential'],
    ['invalid openid hint: [jotvMa01143580]', 'invalid openid'],
    ['access_token expired, rid: 658cff8e-7783352d-44cb33e5', 'access_token expired'],
    ['ok', 'ok'],
    ['require subscribe hint: [abc] rid: 1-2-3', 'require subscribe'],
  ])('turns %j into %j', (raw, clean) => {
    expect(stripErrmsgTrace(raw)).toBe(clean);
  });
});

describe('WechatApiError', () => {
  it('carries errcode, the cleaned errmsg, its meaning and the path', () => {
    const err = new WechatApiError(45047, 'out of response count limit rid: 1-2-3', '/cgi-bin/message/custom/send');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('WechatApiError');
    expect(err.errcode).toBe(45047);
    expect(err.errmsg).toBe('out of response count limit');
    expect(err.meaning).toEqual(describeErrcode(45047));
    expect(err.path).toBe('/cgi-bin/message/custom/send');
    expect(err.message).toBe('WeChat API error 45047 on /cgi-bin/message/custom/send: out of response count limit');
  });

  it('gives an unknown code a generic meaning', () => {
    expect(new WechatApiError(12345, 'new thing').meaning).toEqual({ zh: '未知错误', en: 'Unknown error' });
  });
});

describe('WechatProtocolError and WechatNetworkError', () => {
  it('carry a code, the field and the cause', () => {
    const cause = new Error('inner');
    const p = new WechatProtocolError('missing_field', 'Missing <Content>', { field: 'Content', cause });
    expect([p.name, p.code, p.field, p.cause]).toEqual(['WechatProtocolError', 'missing_field', 'Content', cause]);
    const n = new WechatNetworkError('http_status', '/cgi-bin/token', 'HTTP 502', { status: 502 });
    expect([n.name, n.code, n.path, n.status]).toEqual(['WechatNetworkError', 'http_status', '/cgi-bin/token', 502]);
  });
});
