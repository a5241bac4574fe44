import { afterEach, describe, expect, it } from 'vitest';
import { WechatCrypto } from '../wechat/crypto';
import { msgSignature, plainSignature } from '../wechat/signature';
import { parseXml } from '../wechat/xml';
import { SERVICE_UNAVAILABLE_TEXT, startWechatSim, type SimOptions, type WechatSim } from './index';
import { apiCall, classicToken, startWebhook, textReply, type TestWebhook, type WebhookAnswer, type WebhookRequest } from './test-support';

let sim: WechatSim;
let webhook: TestWebhook;

afterEach(async () => {
  await sim.close();
  await webhook.close();
});

async function setup(
  respond: (req: WebhookRequest, index: number) => WebhookAnswer | Promise<WebhookAnswer>,
  opts: SimOptions = {},
) {
  webhook = await startWebhook(respond);
  sim = await startWechatSim({ webhookUrl: webhook.url, ...opts });
  return new WechatCrypto({
    token: sim.credentials.token,
    encodingAESKey: sim.credentials.encodingAESKey,
    appId: sim.credentials.appId,
  });
}

describe('pushing to the webhook', () => {
  it('plain mode: signed query with openid, WeChat headers, newline-separated XML', async () => {
    await setup(() => 'success');
    const result = await sim.follower('fan').sendText('你好');
    expect(result.route).toBe('webhook');
    const [req] = webhook.requests;
    expect(req!.headers['content-type']).toBe('text/xml');
    expect(req!.headers['user-agent']).toBe('Mozilla/4.0');
    const { signature, timestamp, nonce, openid } = req!.query;
    expect(Object.keys(req!.query)).toEqual(['signature', 'timestamp', 'nonce', 'openid']);
    expect(signature).toBe(plainSignature(sim.credentials.token, timestamp!, nonce!));
    expect(openid).toBe('fan');
    expect(req!.body).toContain('</ToUserName>\n<FromUserName>');
    const fields = parseXml(req!.body);
    expect(fields).toMatchObject({ ToUserName: sim.credentials.originalId, FromUserName: 'fan', MsgType: 'text', Content: '你好' });
    expect(BigInt(fields.MsgId as string)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('compat mode: plaintext elements plus an Encrypt that msg_signature covers', async () => {
    const crypto = await setup(() => 'success', { mode: 'compat' });
    await sim.follower('fan').sendText('hi');
    const [req] = webhook.requests;
    const fields = parseXml(req!.body);
    expect(fields.Content).toBe('hi');
    expect(req!.query.encrypt_type).toBe('aes');
    expect(req!.query.msg_signature).toBe(crypto.signature(req!.query.timestamp!, req!.query.nonce!, fields.Encrypt as string));
    expect(parseXml(crypto.decrypt(fields.Encrypt as string)).Content).toBe('hi');
  });

  it('safe mode: only ToUserName and Encrypt, and an encrypted reply reaches the follower', async () => {
    const crypto = await setup((req) => {
      const inner = parseXml(crypto.decryptMessage(req.body, {
        msgSignature: req.query.msg_signature!,
        timestamp: req.query.timestamp!,
        nonce: req.query.nonce!,
      }));
      return crypto.encryptReply(textReply(String(inner.FromUserName), `echo ${String(inner.Content)}`), '1700000000', req.query.nonce!);
    }, { mode: 'safe' });
    await sim.follower('fan').sendText('ping');
    expect(Object.keys(parseXml(webhook.requests[0]!.body))).toEqual(['ToUserName', 'Encrypt']);
    expect(webhook.requests[0]!.body).toMatch(/^<xml>\n {4}<ToUserName>/);
    expect(sim.follower('fan').inbox()).toMatchObject([{ source: 'reply', msgType: 'text', text: 'echo ping' }]);
  });

  it('safe mode: an encrypted reply with a wrong MsgSignature is refused', async () => {
    const crypto = await setup((req) => {
      const envelope = crypto.encryptReply(textReply('fan', 'forged'), '1700000000', req.query.nonce!);
      return envelope.replace(/<MsgSignature><!\[CDATA\[[0-9a-f]+/, `<MsgSignature><![CDATA[${'0'.repeat(40)}`);
    }, { mode: 'safe' });
    const result = await sim.follower('fan').sendText('ping');
    expect(result.route === 'webhook' && result.push.outcome?.kind).toBe('invalid');
    expect(sim.follower('fan').inbox().map((d) => d.text)).toEqual([SERVICE_UNAVAILABLE_TEXT]);
  });

  it('safe mode: a plaintext XML reply is refused', async () => {
    await setup(() => textReply('fan', 'not encrypted'), { mode: 'safe' });
    await sim.follower('fan').sendText('ping');
    expect(sim.follower('fan').inbox()).toMatchObject([{ source: 'system', text: SERVICE_UNAVAILABLE_TEXT }]);
  });

  it('compat mode accepts a plaintext reply too', async () => {
    await setup(() => textReply('fan', 'plain is fine'), { mode: 'compat' });
    await sim.follower('fan').sendText('ping');
    expect(sim.follower('fan').inbox().map((d) => d.text)).toEqual(['plain is fine']);
  });

  it('compat mode: msg_signature is recomputed from the body, not copied from plain signature', async () => {
    await setup(() => 'success', { mode: 'compat' });
    await sim.follower('fan').sendText('x');
    const { query, body } = webhook.requests[0]!;
    const encrypt = parseXml(body).Encrypt as string;
    expect(query.msg_signature).toBe(msgSignature(sim.credentials.token, query.timestamp!, query.nonce!, encrypt));
  });
});

describe('reading the reply', () => {
  it.each([['success'], ['']])('treats %j as an acknowledgement: nothing shown, no retry', async (body) => {
    await setup(() => body);
    const result = await sim.follower('fan').sendText('hi');
    expect(result.route === 'webhook' && result.push.outcome).toEqual({ kind: 'ack' });
    expect(webhook.requests).toHaveLength(1);
    expect(sim.follower('fan').inbox()).toEqual([]);
  });

  it('shows a malformed reply as the service-unavailable notice', async () => {
    await setup(() => '{"reply":"json is not xml"}');
    await sim.follower('fan').sendText('hi');
    expect(sim.follower('fan').inbox()).toMatchObject([{ source: 'system', text: SERVICE_UNAVAILABLE_TEXT }]);
  });

  it('keeps only one article of a news reply to a message, up to 8 for an event', async () => {
    const news = (openid: string, n: number) =>
      `<xml><ToUserName><![CDATA[${openid}]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName><CreateTime>1</CreateTime>` +
      `<MsgType><![CDATA[news]]></MsgType><ArticleCount>${n}</ArticleCount><Articles>` +
      Array.from({ length: n }, (_, i) => `<item><Title><![CDATA[t${i}]]></Title><Url><![CDATA[u]]></Url></item>`).join('') +
      `</Articles></xml>`;
    await setup(() => news('fan', 10));
    await sim.follower('fan').sendText('hi');
    await sim.follower('fan').click('NEWS');
    const [toMessage, toEvent] = sim.follower('fan').inbox();
    expect((toMessage!.payload.Articles as { item: unknown[] }).item).toHaveLength(1);
    expect((toEvent!.payload.Articles as { item: unknown[] }).item).toHaveLength(8);
  });
});

describe('deadline and retries', () => {
  it('re-sends the same body when the webhook is slower than the deadline, 3 deliveries in all', async () => {
    await setup(() => ({ body: 'success', delayMs: 1500 }), { pushTimeoutMs: 300 });
    const result = await sim.follower('fan').sendText('slow');
    expect(webhook.requests).toHaveLength(3);
    expect(new Set(webhook.requests.map((r) => r.body)).size).toBe(1);
    expect(result.route === 'webhook' && result.push.attempts.map((a) => a.failure)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(sim.follower('fan').inbox()).toMatchObject([{ source: 'system', text: SERVICE_UNAVAILABLE_TEXT }]);
  });

  it('takes the answer of a retry that comes back in time', async () => {
    await setup((_req, i) => (i === 0 ? { body: 'late', delayMs: 1500 } : textReply('fan', 'second try')), { pushTimeoutMs: 300 });
    await sim.follower('fan').sendText('hi');
    expect(webhook.requests).toHaveLength(2);
    expect(webhook.requests[0]!.body).toBe(webhook.requests[1]!.body);
    expect(sim.follower('fan').inbox().map((d) => d.text)).toEqual(['second try']);
  });

  it('retries an HTTP 500 and honours pushAttempts', async () => {
    await setup(() => ({ status: 500 }), { pushAttempts: 2 });
    const result = await sim.follower('fan').sendText('hi');
    expect(webhook.requests).toHaveLength(2);
    expect(result.route === 'webhook' && result.push.attempts.map((a) => a.status)).toEqual([500, 500]);
  });
});

describe('follower events and settings', () => {
  it('subscribe via a QR code carries qrscene_ and the code’s ticket; SCAN carries the bare scene', async () => {
    await setup(() => 'success');
    const token = await classicToken(sim);
    const { ticket } = await apiCall(sim, '/cgi-bin/qrcode/create', {
      token,
      body: { action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'bind:7' } } },
    });
    await sim.follower('fan').subscribe('bind:7');
    await sim.follower('fan').scan('bind:7');
    const [follow, scan] = webhook.requests.map((r) => parseXml(r.body));
    expect(follow).toMatchObject({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_bind:7' });
    expect(scan).toMatchObject({ Event: 'SCAN', EventKey: 'bind:7' });
    expect(follow!.Ticket).toBe(ticket);
    expect(scan!.Ticket).toBe(ticket);
  });

  it('an unsubscribed follower cannot send messages until they follow again', async () => {
    await setup(() => 'success');
    await sim.follower('fan').unsubscribe();
    await expect(sim.follower('fan').sendText('hi')).rejects.toMatchObject({ code: 'not_subscribed' });
    await sim.follower('fan').subscribe();
    await expect(sim.follower('fan').sendText('hi')).resolves.toMatchObject({ route: 'webhook' });
  });

  it('verifies the server URL with WeChat’s GET check', async () => {
    await setup((req) => {
      const ok = req.query.signature === plainSignature(sim.credentials.token, req.query.timestamp!, req.query.nonce!);
      return ok ? req.query.echostr! : 'bad';
    });
    expect(await sim.verifyWebhook()).toBe(true);
    expect(webhook.requests[0]!.method).toBe('GET');
  });

  it('pushes nothing when no webhook is configured, and to the new URL after setWebhook', async () => {
    await setup(() => 'success');
    sim.setWebhook(undefined);
    expect(await sim.follower('fan').sendText('lost')).toEqual({ route: 'no_webhook' });
    sim.setWebhook(webhook.url, 'compat');
    await sim.follower('fan').sendText('found');
    expect(webhook.requests).toHaveLength(1);
    expect(webhook.requests[0]!.query.encrypt_type).toBe('aes');
  });
});

describe('MsgIds', () => {
  const msgIds = () => webhook.requests.map((r) => BigInt(parseXml(r.body).MsgId as string));

  it('a restarted fake never repeats a MsgId an earlier run sent, even from another follower', async () => {
    const start = Date.parse('2026-03-02T08:00:00Z');
    await setup(() => 'success', { now: () => start });
    await sim.follower('fan-001').sendText('客服');
    await sim.follower('fan-001').sendText('客服');
    const first = msgIds();
    await sim.close();

    // The same webhook, a fresh fake a second later: what a sandbox restart looks like.
    sim = await startWechatSim({ webhookUrl: webhook.url, now: () => start + 1000 });
    await sim.follower('fan-002').sendText('客服');
    const all = msgIds();
    expect(all).toHaveLength(3);
    expect(new Set(all).size).toBe(3);
    expect(all[2]!).toBeGreaterThan(first[1]!);
    expect(first[1]!).toBeGreaterThan(first[0]!);
    for (const id of all) expect(id).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    // Still a 64-bit integer, as WeChat's are.
    expect(all[2]!).toBeLessThan(2n ** 63n);
  });
});
