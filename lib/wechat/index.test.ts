import { describe, expect, it } from 'vitest';
import * as wechat from './index';
import { vectors } from './testdata/vectors';

describe('lib/wechat public API', () => {
  it('exports the agreed names', () => {
    const names = [
      'plainSignature', 'msgSignature', 'safeEqual', 'verifyPlainSignature',
      'decodeAesKey', 'WechatCrypto',
      'WechatProtocolError', 'WechatApiError', 'WechatNetworkError', 'describeErrcode', 'WECHAT_ERRMSG', 'WECHAT_ERRCODES',
      'parseXml', 'buildXml', 'cdata',
      'parseInbound', 'dedupeKey', 'isEvent', 'knownInboundSchema',
      'textReply', 'imageReply', 'voiceReply', 'videoReply', 'musicReply', 'newsReply', 'transferReply', 'SUCCESS',
      'MemoryTokenStore', 'WechatClient', 'KfApi', 'showQrcodeUrl',
    ];
    for (const name of names) expect(wechat, name).toHaveProperty(name);
  });

  it('handles the official safe-mode push end to end: verify, decrypt, parse, reply, encrypt', () => {
    const v = vectors.decrypt.find((x) => x.id.startsWith('E_'))!;
    const crypto = new wechat.WechatCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appid });
    const query = Object.fromEntries(new URLSearchParams(v.query ?? ''));
    const body = `<xml>\n    <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n    <Encrypt><![CDATA[${v.encrypt!}]]></Encrypt>\n</xml>`;

    expect(wechat.verifyPlainSignature(v.token, { signature: query.signature!, timestamp: query.timestamp!, nonce: query.nonce! })).toBe(true);
    const plain = crypto.decryptMessage(body, { msgSignature: query.msg_signature!, timestamp: query.timestamp!, nonce: query.nonce! });
    const msg = wechat.parseInbound(wechat.parseXml(plain));
    expect(msg).toMatchObject({ kind: 'unknown', MsgType: 'event', Event: 'debug_demo', FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY' });
    expect(wechat.dedupeKey(msg)).toBe('o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1715943329:debug_demo');

    const reply = wechat.textReply(msg, '收到', new Date(1715943330_000));
    const envelope = crypto.encryptReply(reply, '1715943330', query.nonce!);
    expect(crypto.decryptReply(envelope)).toBe(reply);
    expect(wechat.parseXml(reply)).toMatchObject({ ToUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', FromUserName: 'gh_97417a04a28d' });
  });
});
