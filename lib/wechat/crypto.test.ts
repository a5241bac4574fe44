import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeAesKey, pkcs7Pad, pkcs7Unpad, WechatCrypto } from './crypto';
import { WechatProtocolError } from './errors';
import { parseXml } from './xml';
import { vectors } from './testdata/vectors';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const make = (appId = 'wx2c2769f8efd9abc2', token = 'spamtest') => new WechatCrypto({ token, encodingAESKey: KEY, appId });

function protocolCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof WechatProtocolError) return err.code;
    throw err;
  }
  return undefined;
}

// Encrypts an arbitrary plaintext the way WeChat would, for tests that need malformed payloads.
function rawEncrypt(encodingAESKey: string, plain: Buffer): string {
  const key = decodeAesKey(encodingAESKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

describe('decodeAesKey', () => {
  it('turns 43 × "A" into 32 zero bytes', () => {
    expect(decodeAesKey('A'.repeat(43))).toEqual(Buffer.alloc(32));
  });

  it.each([
    ['42 characters', 'A'.repeat(42)],
    ['44 characters', 'A'.repeat(44)],
    ['a non-base64 character', `${'A'.repeat(42)}!`],
    ['an empty key', ''],
  ])('refuses %s with bad_aes_key', (_label, key) => {
    expect(protocolCode(() => decodeAesKey(key))).toBe('bad_aes_key');
    expect(protocolCode(() => new WechatCrypto({ token: 't', encodingAESKey: key, appId: 'wx1' }))).toBe('bad_aes_key');
  });
});

describe('PKCS#7 over 32-byte blocks', () => {
  it('pads 1..32 bytes, a full block of 32 when the length is a multiple of 32', () => {
    expect(pkcs7Pad(Buffer.alloc(31)).subarray(31)).toEqual(Buffer.from([1]));
    expect(pkcs7Pad(Buffer.alloc(32))).toEqual(Buffer.concat([Buffer.alloc(32), Buffer.alloc(32, 32)]));
    expect(pkcs7Pad(Buffer.alloc(15)).length).toBe(32);
  });

  it('refuses a pad byte of 0, above 32 or inconsistent pad bytes', () => {
    expect(protocolCode(() => pkcs7Unpad(Buffer.alloc(32, 0)))).toBe('decrypt_failed');
    expect(protocolCode(() => pkcs7Unpad(Buffer.alloc(64, 33)))).toBe('decrypt_failed');
    expect(protocolCode(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30, 7), Buffer.from([3, 2])])))).toBe('decrypt_failed');
    expect(protocolCode(() => pkcs7Unpad(Buffer.alloc(0)))).toBe('decrypt_failed');
  });

  it('pad of 32 bytes round-trips', () => {
    // random(16) + length(4) + msg + appid(18) = 64 bytes → a whole extra 32-byte pad block.
    const c = make();
    const msg = 'x'.repeat(64 - 16 - 4 - 18);
    const encrypted = c.encrypt(msg, 'aaaabbbbccccdddd');
    expect(Buffer.from(encrypted, 'base64').length).toBe(96);
    expect(c.decrypt(encrypted)).toBe(msg);
  });

  it('every pad length from 1 to 32 round-trips (Node would choke on 17..32)', () => {
    const c = make();
    for (let n = 0; n < 32; n++) {
      const msg = 'y'.repeat(n);
      expect(c.decrypt(c.encrypt(msg))).toBe(msg);
    }
  });
});

describe('official decrypt vectors', () => {
  it.each(vectors.decrypt)('$id decrypts to the expected plaintext, random and appid', (v) => {
    const c = new WechatCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appid });
    const encrypt = v.encrypt ?? (parseXml(v.body!).Encrypt as string);
    const raw = c.decryptRaw(encrypt);
    expect(raw.message).toBe(v.expected_plaintext);
    expect(raw.appId).toBe(v.appid);
    if (v.expected_random16) expect(raw.random.toString('latin1')).toBe(v.expected_random16);
    expect(c.decrypt(encrypt)).toBe(v.expected_plaintext);
  });

  it.each(vectors.decrypt)('$id uses the documented pad length', (v) => {
    const key = decodeAesKey(v.encodingAESKey);
    const encrypt = v.encrypt ?? (parseXml(v.body!).Encrypt as string);
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
    expect(plain[plain.length - 1]).toBe(v.pad);
  });

  it.each(vectors.decrypt)('$id opens through decryptMessage with its URL msg_signature', (v) => {
    const c = new WechatCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appid });
    const body = v.body ?? `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${v.encrypt!}]]></Encrypt></xml>`;
    const query = { msgSignature: v.msg_signature, timestamp: v.timestamp, nonce: v.nonce };
    expect(c.decryptMessage(body, query)).toBe(v.expected_plaintext);
    expect(protocolCode(() => c.decryptMessage(body, { ...query, nonce: '1' }))).toBe('bad_signature');
  });
});

describe('official deterministic encrypt vectors', () => {
  it.each(vectors.encrypt_deterministic)('$id reproduces the ciphertext byte for byte', (v) => {
    const c = new WechatCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appid });
    expect(c.encrypt(v.msg, v.random16)).toBe(v.expected_encrypt);
    expect(c.encrypt(v.msg, Buffer.from(v.random16, 'latin1'))).toBe(v.expected_encrypt);
    expect(c.decrypt(v.expected_encrypt)).toBe(v.msg);
  });

  it('the open-platform reply vector builds the documented envelope', () => {
    const v = vectors.encrypt_deterministic.find((x) => x.expected_msg_signature)!;
    const c = new WechatCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appid });
    const envelope = c.encryptReply(v.msg, v.timestamp!, v.nonce!, v.random16);
    expect(envelope).toBe(
      `<xml><Encrypt><![CDATA[${v.expected_encrypt}]]></Encrypt>` +
        `<MsgSignature><![CDATA[${v.expected_msg_signature!}]]></MsgSignature>` +
        `<TimeStamp>${v.timestamp!}</TimeStamp><Nonce><![CDATA[${v.nonce!}]]></Nonce></xml>`,
    );
    expect(c.decryptReply(envelope)).toBe(v.msg);
  });
});

describe('WechatCrypto round trips and refusals', () => {
  it('Chinese text round-trips with a byte-length prefix', () => {
    const c = make();
    const msg = '<xml><Content><![CDATA[你好，客服 👋]]></Content></xml>';
    const raw = c.decryptRaw(c.encrypt(msg));
    expect(raw.message).toBe(msg);
    expect(raw.random.length).toBe(16);
  });

  it('uses a fresh random prefix each time', () => {
    const c = make();
    expect(c.encrypt('same')).not.toBe(c.encrypt('same'));
  });

  it('refuses a random prefix that is not 16 bytes', () => {
    expect(() => make().encrypt('m', 'short')).toThrow(RangeError);
  });

  it('refuses a ciphertext for another appid with appid_mismatch', () => {
    const encrypted = make('wxOTHERAPPID000000').encrypt('hello');
    expect(protocolCode(() => make().decrypt(encrypted))).toBe('appid_mismatch');
    expect(make().decryptRaw(encrypted).appId).toBe('wxOTHERAPPID000000');
  });

  it('refuses a tampered ciphertext with decrypt_failed', () => {
    // The last byte of the second-to-last AES block: in CBC it flips the padding byte of the last
    // block exactly (1–32 becomes 223 or more), every time. Flipping the last byte itself garbled the
    // whole last block instead, and about one run in eight it still ended in a padding byte of 1–32
    // and failed later, as appid_mismatch.
    for (let run = 0; run < 50; run++) {
      const encrypted = Buffer.from(make().encrypt('hello world'), 'base64');
      const at = encrypted.length - 17;
      encrypted[at] = encrypted[at]! ^ 0xff;
      expect(protocolCode(() => make().decrypt(encrypted.toString('base64')))).toBe('decrypt_failed');
    }
  });

  it('refuses a ciphertext made with another key', () => {
    const other = new WechatCrypto({ token: 't', encodingAESKey: 'B'.repeat(43), appId: 'wx2c2769f8efd9abc2' });
    const code = protocolCode(() => make().decrypt(other.encrypt('hello')));
    expect(['decrypt_failed', 'appid_mismatch']).toContain(code);
  });

  it.each([
    ['not base64', '%%%%'],
    ['an empty string', ''],
    ['a length that is not whole AES blocks', Buffer.alloc(20).toString('base64')],
  ])('refuses Encrypt that is %s', (_label, encrypt) => {
    expect(protocolCode(() => make().decrypt(encrypt))).toBe('decrypt_failed');
  });

  it('refuses a length prefix longer than the payload', () => {
    const plain = Buffer.concat([Buffer.alloc(16, 97), Buffer.from([0, 0, 1, 0]), Buffer.from('short')]);
    expect(protocolCode(() => make().decrypt(rawEncrypt(KEY, pkcs7Pad(plain))))).toBe('decrypt_failed');
  });

  it('refuses a message that is not UTF-8', () => {
    const body = Buffer.from([0xff, 0xfe]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([Buffer.alloc(16, 97), length, body, Buffer.from('wx2c2769f8efd9abc2')]);
    expect(protocolCode(() => make().decrypt(rawEncrypt(KEY, pkcs7Pad(plain))))).toBe('decrypt_failed');
  });

  it('refuses a payload shorter than the random prefix and length', () => {
    expect(protocolCode(() => make().decrypt(rawEncrypt(KEY, pkcs7Pad(Buffer.alloc(10)))))).toBe('decrypt_failed');
  });
});

describe('reply envelopes', () => {
  it('encryptReply and decryptReply round-trip and verify MsgSignature', () => {
    const c = make();
    const envelope = c.encryptReply('<xml><Content><![CDATA[好]]></Content></xml>', '1713424427', '415670741');
    const fields = parseXml(envelope);
    expect(Object.keys(fields)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
    expect(c.signature('1713424427', '415670741', fields.Encrypt as string)).toBe(fields.MsgSignature);
    expect(c.decryptReply(envelope)).toBe('<xml><Content><![CDATA[好]]></Content></xml>');
  });

  it('decryptReply refuses a wrong MsgSignature with bad_signature', () => {
    const envelope = make().encryptReply('<xml/>', '1', 'n').replace(/<MsgSignature><!\[CDATA\[\w+/, '<MsgSignature><![CDATA[0000');
    expect(protocolCode(() => make().decryptReply(envelope))).toBe('bad_signature');
  });

  it('decryptReply refuses a signature made with another token', () => {
    const envelope = make('wx2c2769f8efd9abc2', 'other').encryptReply('<xml/>', '1', 'n');
    expect(protocolCode(() => make().decryptReply(envelope))).toBe('bad_signature');
  });

  it('decryptReply names a missing element', () => {
    const err = (() => {
      try {
        make().decryptReply('<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>');
      } catch (e) {
        return e as WechatProtocolError;
      }
    })();
    expect(err?.code).toBe('missing_field');
    expect(err?.field).toBe('MsgSignature');
  });

  it('encryptReply refuses a non-numeric timestamp', () => {
    expect(() => make().encryptReply('<xml/>', 'abc', 'n')).toThrow(RangeError);
  });
});
