import { describe, expect, it } from 'vitest';
import { WechatProtocolError } from './errors';
import { dedupeKey, isEvent, isUserMessage, parseInbound, qrScene, textMessageSchema, type InboundMessage } from './messages';
import { parseXml } from './xml';

const HEADER =
  '<ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>' +
  '<CreateTime>1348831860</CreateTime>';
const push = (inner: string) => parseInbound(parseXml(`<xml>${HEADER}${inner}</xml>`));
const msg = (type: string, inner: string) => push(`<MsgType><![CDATA[${type}]]></MsgType>${inner}<MsgId>6054768590064713728</MsgId>`);
const evt = (name: string, inner = '') => push(`<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${name}]]></Event>${inner}`);

function refusal(fn: () => unknown): WechatProtocolError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WechatProtocolError) return err;
    throw err;
  }
  throw new Error('expected a WechatProtocolError');
}

describe('parseInbound: messages', () => {
  it('parses text with the common header, a numeric CreateTime and a string MsgId', () => {
    expect(msg('text', '<Content><![CDATA[你好]]></Content>')).toEqual({
      kind: 'text',
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'oUser',
      CreateTime: 1348831860,
      MsgType: 'text',
      Content: '你好',
      MsgId: '6054768590064713728',
    });
  });

  it('keeps optional MsgDataId and Idx from article-originated messages', () => {
    const m = msg('text', '<Content><![CDATA[x]]></Content><MsgDataId>123</MsgDataId><Idx>1</Idx>');
    expect(m).toMatchObject({ MsgDataId: '123', Idx: '1' });
  });

  it('parses image, video, shortvideo and link', () => {
    expect(msg('image', '<PicUrl><![CDATA[http://p]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>')).toMatchObject({
      kind: 'image',
      PicUrl: 'http://p',
      MediaId: 'm1',
    });
    expect(msg('video', '<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>')).toMatchObject({
      kind: 'video',
      ThumbMediaId: 't',
    });
    expect(msg('shortvideo', '<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>').kind).toBe(
      'shortvideo',
    );
    expect(
      msg('link', '<Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description><Url><![CDATA[http://u]]></Url>'),
    ).toMatchObject({ kind: 'link', Title: 'T', Description: 'D', Url: 'http://u' });
  });

  it('parses voice with and without Recognition', () => {
    const plain = msg('voice', '<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format>');
    expect(plain).toMatchObject({ kind: 'voice', Format: 'amr' });
    expect(plain).not.toHaveProperty('Recognition');
    const recognised = msg('voice', '<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯]]></Recognition>');
    expect(recognised).toMatchObject({ Recognition: '腾讯' });
  });

  it('parses location coordinates as numbers', () => {
    const m = msg('location', '<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label>');
    expect(m).toMatchObject({ kind: 'location', Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: '位置信息' });
  });
});

describe('parseInbound: events', () => {
  it('parses a plain subscribe, with or without an empty EventKey', () => {
    expect(evt('subscribe')).toMatchObject({ kind: 'event.subscribe', Event: 'subscribe' });
    expect(evt('subscribe', '<EventKey><![CDATA[]]></EventKey>')).toMatchObject({ EventKey: '' });
    expect(qrScene(evt('subscribe', '<EventKey><![CDATA[]]></EventKey>'))).toBeUndefined();
  });

  it('parses a subscribe from a parametric QR code and exposes its scene', () => {
    const e = evt('subscribe', '<EventKey><![CDATA[qrscene_agent-42]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>');
    expect(e).toMatchObject({ kind: 'event.subscribe', EventKey: 'qrscene_agent-42', Ticket: 'TICKET' });
    expect(qrScene(e)).toBe('agent-42');
  });

  it('parses unsubscribe, SCAN, LOCATION, CLICK and VIEW', () => {
    expect(evt('unsubscribe').kind).toBe('event.unsubscribe');
    const scan = evt('SCAN', '<EventKey><![CDATA[agent-42]]></EventKey><Ticket><![CDATA[T]]></Ticket>');
    expect(scan.kind).toBe('event.SCAN');
    expect(qrScene(scan)).toBe('agent-42');
    expect(evt('LOCATION', '<Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>')).toMatchObject({
      kind: 'event.LOCATION',
      Latitude: 23.137466,
      Longitude: 113.352425,
      Precision: 119.38504,
    });
    expect(evt('CLICK', '<EventKey><![CDATA[V1001_HELP]]></EventKey>')).toMatchObject({ kind: 'event.CLICK', EventKey: 'V1001_HELP' });
    expect(evt('VIEW', '<EventKey><![CDATA[http://x]]></EventKey><MenuId>12</MenuId>')).toMatchObject({ kind: 'event.VIEW', MenuId: '12' });
  });

  it('parses the customer-service session events', () => {
    expect(evt('kf_create_session', '<KfAccount><![CDATA[test1@test]]></KfAccount>')).toMatchObject({
      kind: 'event.kf_create_session',
      KfAccount: 'test1@test',
    });
    expect(evt('kf_close_session', '<KfAccount><![CDATA[test1@test]]></KfAccount>').kind).toBe('event.kf_close_session');
    expect(evt('kf_switch_session', '<FromKfAccount><![CDATA[test1@test]]></FromKfAccount><ToKfAccount><![CDATA[test2@test]]></ToKfAccount>')).toMatchObject({
      kind: 'event.kf_switch_session',
      FromKfAccount: 'test1@test',
      ToKfAccount: 'test2@test',
    });
  });

  it('treats Event names case-sensitively (scan is not SCAN)', () => {
    expect(evt('scan', '<EventKey><![CDATA[1]]></EventKey>').kind).toBe('unknown');
  });
});

describe('parseInbound: unknown types', () => {
  it('parses an unknown message type to the generic shape with every field kept', () => {
    const m = msg('miniprogrampage', '<Title><![CDATA[t]]></Title>');
    expect(m).toMatchObject({ kind: 'unknown', MsgType: 'miniprogrampage', MsgId: '6054768590064713728', CreateTime: 1348831860 });
    expect(m.kind === 'unknown' && m.fields.Title).toBe('t');
  });

  it('parses an unknown event (e.g. a menu scan) to the generic shape with nested fields', () => {
    const e = evt('scancode_push', '<EventKey><![CDATA[k]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>');
    expect(e).toMatchObject({ kind: 'unknown', MsgType: 'event', Event: 'scancode_push' });
    expect(e.kind === 'unknown' && e.fields.ScanCodeInfo).toEqual({ ScanType: 'qrcode', ScanResult: '1' });
    expect(isEvent(e)).toBe(true);
  });
});

describe('parseInbound: the text fast path', () => {
  const base = { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1348831860', MsgType: 'text', Content: 'x', MsgId: '6054768590064713728' };

  // Text is checked by hand (messages.ts); it must give exactly what the schema gives.
  it.each([
    ['the plain message', base],
    ['an empty Content', { ...base, Content: '' }],
    ['MsgDataId and Idx', { ...base, MsgDataId: '123', Idx: '1' }],
    ['an empty MsgDataId', { ...base, MsgDataId: '' }],
    ['fields the schema does not know (stripped)', { ...base, Unknown: 'y', Nested: { a: '1' } }],
    ['a pushed <kind> (ignored)', { ...base, kind: 'event.subscribe' }],
  ])('parses %s as the schema does', (_, fields) => {
    expect(parseInbound(fields)).toStrictEqual(textMessageSchema.parse({ ...fields, kind: undefined }));
  });

  it.each([
    ['MsgDataId', { MsgDataId: { nested: '1' } }],
    ['Idx', { Idx: ['1', '2'] }],
    ['ToUserName', { ToUserName: '' }],
    ['MsgId', { MsgId: '-1' }],
    ['CreateTime', { CreateTime: '8640000000001' }],
  ])('leaves a malformed <%s> to the schema, which refuses it', (field, override) => {
    const err = refusal(() => parseInbound({ ...base, ...override }));
    expect(err.code).toBe('invalid_field');
    expect(err.field).toBe(field);
  });
});

describe('parseInbound: refusals', () => {
  it('refuses a CreateTime no date can hold, in an event as in a message', () => {
    const err = refusal(() => parseInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '8640000000001', MsgType: 'event', Event: 'kf_create_session', KfAccount: 'a@b' }));
    expect(err).toMatchObject({ code: 'invalid_field', field: 'CreateTime' });
  });

  it.each([
    ['ToUserName', { FromUserName: 'o', CreateTime: '1', MsgType: 'text', Content: 'x', MsgId: '1' }],
    ['MsgType', { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1' }],
    ['Content', { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'text', MsgId: '1' }],
    ['MsgId', { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'text', Content: 'x' }],
    ['Event', { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'event' }],
    ['KfAccount', { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'event', Event: 'kf_create_session' }],
    ['CreateTime', { ToUserName: 'gh', FromUserName: 'o', MsgType: 'whatever' }],
  ])('names the missing <%s> with missing_field', (field, fields) => {
    const err = refusal(() => parseInbound(fields));
    expect(err.code).toBe('missing_field');
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
  });

  it.each([
    ['CreateTime', { CreateTime: 'yesterday' }],
    ['MsgId', { MsgId: '12a' }],
    ['Content', { Content: { nested: 'x' } }],
    ['FromUserName', { FromUserName: '' }],
  ])('refuses a malformed <%s> with invalid_field', (field, override) => {
    const base = { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'text', Content: 'x', MsgId: '1' };
    const err = refusal(() => parseInbound({ ...base, ...override }));
    expect(err.code).toBe('invalid_field');
    expect(err.field).toBe(field);
  });

  it('ignores a pushed <kind> element instead of trusting it', () => {
    const m = parseInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'text', Content: 'x', MsgId: '1', kind: 'event.subscribe' });
    expect(m.kind).toBe('text');
  });
});

describe('dedupeKey, isEvent, isUserMessage', () => {
  it('uses FromUserName:MsgId for messages', () => {
    const m = msg('text', '<Content><![CDATA[x]]></Content>');
    expect(dedupeKey(m)).toBe(`${m.FromUserName}:6054768590064713728`);
    expect(isEvent(m)).toBe(false);
    expect(isUserMessage(m)).toBe(true);
  });

  it('uses FromUserName:CreateTime:Event for events, so two events in one second differ', () => {
    const sub = evt('subscribe');
    const click = evt('CLICK', '<EventKey><![CDATA[k]]></EventKey>');
    expect(dedupeKey(sub)).toBe('oUser:1348831860:subscribe');
    expect(dedupeKey(click)).toBe('oUser:1348831860:CLICK');
    expect(isEvent(sub)).toBe(true);
    expect(isUserMessage(sub)).toBe(false);
  });

  it('gives two followers who send the same MsgId different keys', () => {
    const a = parseInbound({ ToUserName: 'gh', FromUserName: 'fan-001', CreateTime: '1', MsgType: 'text', Content: '客服', MsgId: '24000000000000001' });
    const b = parseInbound({ ToUserName: 'gh', FromUserName: 'fan-002', CreateTime: '2', MsgType: 'text', Content: '客服', MsgId: '24000000000000001' });
    expect(dedupeKey(a)).not.toBe(dedupeKey(b));
  });

  it('gives the same key to a retried delivery of the same push', () => {
    const body = `<xml>${HEADER}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_close_session]]></Event><KfAccount><![CDATA[a@b]]></KfAccount></xml>`;
    const keys = [body, body.replaceAll('><', '>\n<')].map((b) => dedupeKey(parseInbound(parseXml(b))));
    expect(keys[0]).toBe(keys[1]);
  });

  it('names the agents of session events, so two switches of one follower in one second are two events', () => {
    const switch1 = evt('kf_switch_session', '<FromKfAccount><![CDATA[a@b]]></FromKfAccount><ToKfAccount><![CDATA[c@b]]></ToKfAccount>');
    const switch2 = evt('kf_switch_session', '<FromKfAccount><![CDATA[c@b]]></FromKfAccount><ToKfAccount><![CDATA[d@b]]></ToKfAccount>');
    expect(dedupeKey(switch1)).toBe('oUser:1348831860:kf_switch_session:a@b>c@b');
    expect(dedupeKey(switch2)).not.toBe(dedupeKey(switch1));
    const accepted = [evt('kf_create_session', '<KfAccount><![CDATA[a@b]]></KfAccount>'), evt('kf_create_session', '<KfAccount><![CDATA[c@b]]></KfAccount>')];
    expect(dedupeKey(accepted[0]!)).toBe('oUser:1348831860:kf_create_session:a@b');
    expect(dedupeKey(accepted[1]!)).not.toBe(dedupeKey(accepted[0]!));
    expect(dedupeKey(evt('kf_close_session', '<KfAccount><![CDATA[a@b]]></KfAccount>'))).toBe('oUser:1348831860:kf_close_session:a@b');
  });

  it('falls back to FromUserName:CreateTime:MsgType for an unknown type without MsgId', () => {
    const m: InboundMessage = parseInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '5', MsgType: 'new_thing' });
    expect(dedupeKey(m)).toBe('o:5:new_thing');
  });
});
