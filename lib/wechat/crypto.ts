import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WechatProtocolError } from './errors';
import { msgSignature, safeEqual } from './signature';
import { buildXml, parseXml } from './xml';

// WeChat pads to 32-byte blocks (PROTOCOL.md §4.2), not AES's 16, so pad bytes run 1..32. Node's own
// PKCS#7 handling assumes ≤ 16 and throws on 17..32, hence auto-padding is off and this is by hand.
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function pkcs7Pad(data: Buffer): Buffer {
  const pad = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const pad = data[data.length - 1];
  if (pad === undefined || pad < 1 || pad > PAD_BLOCK || pad > data.length) {
    throw new WechatProtocolError('decrypt_failed', 'Bad padding after decryption');
  }
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) throw new WechatProtocolError('decrypt_failed', 'Bad padding after decryption');
  }
  return data.subarray(0, data.length - pad);
}

/** EncodingAESKey (43 chars) → the 32-byte AES key: Base64Decode(key + "="). */
export function decodeAesKey(encodingAESKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey)) {
    throw new WechatProtocolError(
      'bad_aes_key',
      `EncodingAESKey must be 43 letters and digits (got ${encodingAESKey.length} characters)`,
    );
  }
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) throw new WechatProtocolError('bad_aes_key', 'EncodingAESKey does not decode to 32 bytes');
  return key;
}

export interface WechatCryptoOptions {
  token: string;
  encodingAESKey: string;
  /** Own AppID; for third-party platforms the component AppID (it is what ends each plaintext). */
  appId: string;
}

export interface DecryptedPayload {
  message: string;
  appId: string;
  random: Buffer;
}

export class WechatCrypto {
  readonly #token: string;
  readonly #key: Buffer;
  readonly #iv: Buffer;
  readonly #appId: string;

  constructor(opts: WechatCryptoOptions) {
    this.#key = decodeAesKey(opts.encodingAESKey);
    this.#iv = this.#key.subarray(0, 16);
    this.#token = opts.token;
    this.#appId = opts.appId;
  }

  /** Base64 of AES(random16 ‖ len32be ‖ message ‖ appId); `random16` is fixed only in tests. */
  encrypt(message: string, random16?: Buffer | string): string {
    const random = random16 === undefined ? randomBytes(RANDOM_BYTES) : Buffer.from(random16);
    if (random.length !== RANDOM_BYTES) throw new RangeError('The random prefix must be exactly 16 bytes');
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE(body.length);
    const plain = pkcs7Pad(Buffer.concat([random, length, body, Buffer.from(this.#appId, 'utf8')]));
    const cipher = createCipheriv('aes-256-cbc', this.#key, this.#iv).setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  /** Decrypts without judging the trailing AppID; prefer `decrypt`. */
  decryptRaw(encrypted: string): DecryptedPayload {
    const data = this.#decipher(encrypted);
    if (data.length < RANDOM_BYTES + LENGTH_BYTES) {
      throw new WechatProtocolError('decrypt_failed', 'Decrypted payload is too short');
    }
    const length = data.readUInt32BE(RANDOM_BYTES);
    const start = RANDOM_BYTES + LENGTH_BYTES;
    if (start + length > data.length) {
      throw new WechatProtocolError('decrypt_failed', 'Decrypted length prefix exceeds the payload');
    }
    let message: string;
    try {
      message = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(start, start + length));
    } catch (cause) {
      throw new WechatProtocolError('decrypt_failed', 'Decrypted message is not UTF-8', { cause });
    }
    return {
      message,
      appId: data.subarray(start + length).toString('latin1'),
      random: Buffer.from(data.subarray(0, RANDOM_BYTES)),
    };
  }

  decrypt(encrypted: string): string {
    const { message, appId } = this.decryptRaw(encrypted);
    // Same check as WXBizMsgCrypt's ValidateAppid (−40005): a ciphertext made for another app.
    if (!safeEqual(appId, this.#appId)) {
      throw new WechatProtocolError('appid_mismatch', 'The encrypted message was made for another AppID');
    }
    return message;
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    return msgSignature(this.#token, timestamp, nonce, encrypt);
  }

  /** Verifies `msg_signature` over the body's `<Encrypt>` and the URL timestamp/nonce, then decrypts. */
  decryptMessage(body: string | Buffer, query: { msgSignature: string; timestamp: string; nonce: string }): string {
    const encrypt = requiredText(parseXml(body), 'Encrypt');
    this.#verify(query.msgSignature, query.timestamp, query.nonce, encrypt);
    return this.decrypt(encrypt);
  }

  /** The safe-mode reply envelope (PROTOCOL.md §4.4). `timestamp` must be decimal digits. */
  encryptReply(replyXml: string, timestamp: string, nonce: string, random16?: Buffer | string): string {
    if (!/^\d{1,15}$/.test(timestamp)) throw new RangeError('timestamp must be decimal seconds');
    const encrypt = this.encrypt(replyXml, random16);
    return buildXml({
      Encrypt: encrypt,
      MsgSignature: this.signature(timestamp, nonce, encrypt),
      TimeStamp: Number(timestamp),
      Nonce: nonce,
    });
  }

  /** Opens an envelope built by `encryptReply` (WeChat's side; used by the simulator). */
  decryptReply(envelopeXml: string): string {
    const fields = parseXml(envelopeXml);
    const encrypt = requiredText(fields, 'Encrypt');
    const signature = requiredText(fields, 'MsgSignature');
    const timestamp = requiredText(fields, 'TimeStamp');
    const nonce = requiredText(fields, 'Nonce');
    this.#verify(signature, timestamp, nonce, encrypt);
    return this.decrypt(encrypt);
  }

  #verify(signature: string, timestamp: string, nonce: string, encrypt: string): void {
    if (!safeEqual(this.signature(timestamp, nonce, encrypt), signature)) {
      throw new WechatProtocolError('bad_signature', 'msg_signature does not match');
    }
  }

  #decipher(encrypted: string): Buffer {
    const data = BASE64.test(encrypted) ? Buffer.from(encrypted, 'base64') : undefined;
    if (!data || data.length === 0 || data.length % 16 !== 0) {
      throw new WechatProtocolError('decrypt_failed', 'Encrypt is not base64 of whole AES blocks');
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.#key, this.#iv).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch (cause) {
      throw new WechatProtocolError('decrypt_failed', 'AES decryption failed', { cause });
    }
    return pkcs7Unpad(plain);
  }
}

function requiredText(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') {
    throw new WechatProtocolError('missing_field', `Missing <${name}>`, { field: name });
  }
  return value;
}
