// A refused push that points at wekf's configuration (the token, the clock, the EncodingAESKey, the
// appid) is said in the log, at most once a minute for each cause; an account whose key changed in
// WeChat's console otherwise only shows as followers getting no answer.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WechatCrypto } from '@/lib/wechat/crypto';
import { msgSignature, plainSignature } from '@/lib/wechat/signature';
import { createWebhook } from './webhook';
import { REFUSAL_WARNINGS } from './webhook-query';

const warned = vi.hoisted(() => [] as [Record<string, unknown>, string][]);
vi.mock('@/lib/log', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/log')>();
  const quiet = () => {};
  const logger = { child: () => logger, fatal: quiet, error: quiet, info: quiet, debug: quiet, trace: quiet, warn: (fields: Record<string, unknown>, message: string) => void warned.push([fields, message]) };
  return { ...original, log: logger };
});

const TOKEN = 'tokenTRIAL1';
const APP_ID = 'wx1234567890abcdef';
const KEY_A = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const KEY_B = 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj';
const T0 = 1_796_600_000;

describe('refused pushes that point at the configuration', () => {
  let clock = T0 * 1000;
  beforeEach(() => {
    warned.length = 0;
    clock = T0 * 1000;
  });

  function webhook(key?: string) {
    return createWebhook({
      token: TOKEN,
      crypto: key ? new WechatCrypto({ token: TOKEN, encodingAESKey: key, appId: APP_ID }) : undefined,
      wallClock: () => clock,
      database: () => {
        throw new Error('a refused push must not reach the database');
      },
    });
  }

  /** A push as WeChat signs it at `timestamp`; encrypted with `key` (safe mode) when given. */
  function push(opts: { token?: string; timestamp?: number; key?: string } = {}) {
    const timestamp = String(opts.timestamp ?? T0);
    const nonce = 'n0nce';
    const query = new URLSearchParams({ signature: plainSignature(opts.token ?? TOKEN, timestamp, nonce), timestamp, nonce });
    const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_fan]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>1</MsgId></xml>`;
    if (!opts.key) return { method: 'POST', query, body: Buffer.from(xml) };
    const envelope = new WechatCrypto({ token: TOKEN, encodingAESKey: opts.key, appId: APP_ID }).encryptReply(xml, timestamp, nonce);
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(envelope)![1]!;
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', msgSignature(TOKEN, timestamp, nonce, encrypt));
    return { method: 'POST', query, body: Buffer.from(`<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`) };
  }

  it('says a wrong token and a wrong clock once a minute each, never the query itself', async () => {
    const hook = webhook();
    expect((await hook.handle(push({ token: 'otherTOKEN' }))).status).toBe(403);
    expect((await hook.handle(push({ token: 'otherTOKEN' }))).status).toBe(403);
    expect((await hook.handle(push({ timestamp: T0 - 3600 }))).status).toBe(403);
    expect(warned).toEqual([
      [{}, REFUSAL_WARNINGS.badSignature],
      [{ skewSeconds: 3600 }, REFUSAL_WARNINGS.staleTimestamp],
    ]);
    clock += 61_000;
    await hook.handle(push({ token: 'otherTOKEN', timestamp: T0 + 61 }));
    expect(warned.map(([, message]) => message)).toEqual([REFUSAL_WARNINGS.badSignature, REFUSAL_WARNINGS.staleTimestamp, REFUSAL_WARNINGS.badSignature]);
    expect(JSON.stringify(warned)).not.toContain('n0nce');
  });

  it('says an encrypted push without a key, and one sealed with another key, apart', async () => {
    expect((await webhook().handle(push({ key: KEY_A }))).status).toBe(400);
    const rotated = webhook(KEY_B);
    expect((await rotated.handle(push({ key: KEY_A }))).status).toBe(400);
    expect(warned).toEqual([
      [{}, REFUSAL_WARNINGS.noAesKey],
      [{ reason: expect.stringMatching(/^(decrypt_failed|appid_mismatch)$/) }, REFUSAL_WARNINGS.unopenable],
    ]);
  });
});

describe('pushes answered 503 because the database cannot take them', () => {
  it('are said once a minute, with how many since the last line, not once per push', async () => {
    warned.length = 0;
    let clock = T0 * 1000;
    const hook = createWebhook({
      token: TOKEN,
      wallClock: () => clock,
      now: () => new Date(clock),
      database: () => {
        throw new Error('database unreachable');
      },
    });
    const pushAt = (msgId: number) => {
      const timestamp = String(Math.floor(clock / 1000));
      const query = new URLSearchParams({ signature: plainSignature(TOKEN, timestamp, `n${msgId}`), timestamp, nonce: `n${msgId}` });
      const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_fan]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>${msgId}</MsgId></xml>`;
      return hook.handle({ method: 'POST', query, body: Buffer.from(xml) });
    };
    for (let i = 1; i <= 5; i += 1) expect((await pushAt(i)).status).toBe(503);
    expect(warned.map(([fields, message]) => [message, fields.times])).toEqual([['push not handled; WeChat will retry', 1]]);
    clock += 61_000;
    expect((await pushAt(6)).status).toBe(503);
    expect(warned.map(([fields]) => fields.times)).toEqual([1, 5]);
  });
});
