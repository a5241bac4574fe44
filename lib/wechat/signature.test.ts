import { describe, expect, it } from 'vitest';
import { msgSignature, plainSignature, safeEqual, verifyMsgSignature, verifyPlainSignature } from './signature';
import { vectors } from './testdata/vectors';

describe('plainSignature', () => {
  it.each(vectors.url_verification_plain)('matches the official vector for timestamp $timestamp', (v) => {
    expect(plainSignature(v.token, v.timestamp, v.nonce)).toBe(v.signature);
  });

  it('sorts its inputs, so argument order does not matter', () => {
    expect(plainSignature('AAAAA', '1714036504', '1514711492')).toBe(plainSignature('1514711492', 'AAAAA', '1714036504'));
  });

  it('is the push signature of vector E too', () => {
    const e = vectors.decrypt.find((v) => v.id.startsWith('E_'))!;
    expect(plainSignature(e.token, e.timestamp, e.nonce)).toBe('cc0c594499c1634947d5b502f158ee518947db27');
  });
});

describe('msgSignature', () => {
  it.each(vectors.decrypt)('matches msg_signature of $id', (v) => {
    const encrypt = v.encrypt ?? /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(v.body ?? '')?.[1] ?? '';
    expect(msgSignature(v.token, v.timestamp, v.nonce, encrypt)).toBe(v.msg_signature);
  });

  it('matches the reply signature of the open-platform vector', () => {
    const r = vectors.encrypt_deterministic.find((v) => v.expected_msg_signature)!;
    expect(msgSignature(r.token, r.timestamp!, r.nonce!, r.expected_encrypt)).toBe(r.expected_msg_signature);
  });
});

describe('safeEqual', () => {
  it('accepts equal strings and rejects different or different-length ones', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('verifyPlainSignature', () => {
  const v = vectors.url_verification_plain[0]!;

  it('accepts the official GET verification request', () => {
    expect(verifyPlainSignature(v.token, v)).toBe(true);
  });

  it('rejects a wrong token, a changed nonce and an uppercased signature', () => {
    expect(verifyPlainSignature('BBBBB', v)).toBe(false);
    expect(verifyPlainSignature(v.token, { ...v, nonce: '1' })).toBe(false);
    expect(verifyPlainSignature(v.token, { ...v, signature: v.signature.toUpperCase() })).toBe(false);
  });
});

describe('verifyMsgSignature', () => {
  const d = vectors.decrypt.find((x) => x.encrypt)!;

  it('accepts the official safe-mode signature and rejects a tampered Encrypt', () => {
    const params = { msgSignature: d.msg_signature, timestamp: d.timestamp, nonce: d.nonce, encrypt: d.encrypt! };
    expect(verifyMsgSignature(d.token, params)).toBe(true);
    expect(verifyMsgSignature(d.token, { ...params, encrypt: `x${d.encrypt!}` })).toBe(false);
  });
});
