import { z } from 'zod';
import { WechatProtocolError } from './errors';

// Inbound pushes (PROTOCOL.md §2). Values arrive as strings from parseXml. Every parsed message gets a
// `kind` so TypeScript can narrow on one field; unknown types keep a generic shape instead of failing
// (WeChat adds types over time and must still get a reply within 5 s).

const text = z.string();
const nonEmpty = z.string().min(1);
const DIGITS = /^\d+$/;
const digits = z.string().regex(DIGITS, 'expected decimal digits');
// Unix seconds, as WeChat's CreateTime: up to ten digits (the year 2286). Longer is no time a Date can
// hold, and a push carrying one could never be handled, only answered with an error WeChat retries.
const SECONDS = /^\d{1,10}$/;
const seconds = z.string().regex(SECONDS, 'expected unix seconds').transform(Number);
const decimal = z
  .string()
  .regex(/^-?\d+(?:\.\d+)?$/, 'expected a decimal number')
  .transform(Number);

// `kind` is filled from its default: parseInbound always passes kind: undefined.
const kind = <K extends string>(k: K) => z.literal(k).default(k);

const common = {
  ToUserName: nonEmpty,
  FromUserName: nonEmpty,
  CreateTime: seconds,
};

// MsgId is 64-bit (e.g. 6054768590064713728 > 2^53): it stays a string.
const messageBase = {
  ...common,
  MsgId: digits,
  MsgDataId: text.optional(),
  Idx: text.optional(),
};

const message = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ kind: kind(type), ...messageBase, MsgType: z.literal(type), ...shape });

const event = <E extends string, S extends z.ZodRawShape>(name: E, shape: S) =>
  z.object({ kind: kind(`event.${name}` as const), ...common, MsgType: z.literal('event'), Event: z.literal(name), ...shape });

export const textMessageSchema = message('text', { Content: text });
export const imageMessageSchema = message('image', { PicUrl: text, MediaId: nonEmpty });
export const voiceMessageSchema = message('voice', { MediaId: nonEmpty, Format: text, Recognition: text.optional() });
export const videoMessageSchema = message('video', { MediaId: nonEmpty, ThumbMediaId: text });
export const shortVideoMessageSchema = message('shortvideo', { MediaId: nonEmpty, ThumbMediaId: text });
export const locationMessageSchema = message('location', {
  Location_X: decimal,
  Location_Y: decimal,
  Scale: decimal,
  Label: text,
});
export const linkMessageSchema = message('link', { Title: text, Description: text, Url: text });

// `subscribe` carries EventKey `qrscene_<scene>` + Ticket when the follow came from a parametric QR code.
export const subscribeEventSchema = event('subscribe', { EventKey: text.optional(), Ticket: text.optional() });
export const unsubscribeEventSchema = event('unsubscribe', { EventKey: text.optional() });
export const scanEventSchema = event('SCAN', { EventKey: text, Ticket: text.optional() });
export const locationEventSchema = event('LOCATION', { Latitude: decimal, Longitude: decimal, Precision: decimal });
export const clickEventSchema = event('CLICK', { EventKey: text });
export const viewEventSchema = event('VIEW', { EventKey: text, MenuId: text.optional() });
export const kfCreateSessionEventSchema = event('kf_create_session', { KfAccount: nonEmpty });
export const kfCloseSessionEventSchema = event('kf_close_session', { KfAccount: nonEmpty });
export const kfSwitchSessionEventSchema = event('kf_switch_session', { FromKfAccount: nonEmpty, ToKfAccount: nonEmpty });

const messageSchemas = [
  textMessageSchema,
  imageMessageSchema,
  voiceMessageSchema,
  videoMessageSchema,
  shortVideoMessageSchema,
  locationMessageSchema,
  linkMessageSchema,
] as const;

const eventSchemas = [
  subscribeEventSchema,
  unsubscribeEventSchema,
  scanEventSchema,
  locationEventSchema,
  clickEventSchema,
  viewEventSchema,
  kfCreateSessionEventSchema,
  kfCloseSessionEventSchema,
  kfSwitchSessionEventSchema,
] as const;

export const inboundEventSchema = z.discriminatedUnion('Event', eventSchemas);
export const knownInboundSchema = z.discriminatedUnion('MsgType', [...messageSchemas, inboundEventSchema]);

/** Any type or event we do not model: the common header plus every field as parsed. */
export const unknownInboundSchema = z.object({
  kind: kind('unknown'),
  ...common,
  MsgType: nonEmpty,
  Event: text.optional(),
  MsgId: digits.optional(),
  fields: z.record(z.string(), z.unknown()),
});

export type KnownInbound = z.infer<typeof knownInboundSchema>;
export type UnknownInbound = z.infer<typeof unknownInboundSchema>;
export type InboundMessage = KnownInbound | UnknownInbound;
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type InboundKind = InboundMessage['kind'];
export type InboundOf<K extends InboundKind> = Extract<InboundMessage, { kind: K }>;

const KNOWN_MSG_TYPES = new Set<unknown>(messageSchemas.map((s) => s.shape.MsgType.value));
const KNOWN_EVENTS = new Set<unknown>(eventSchemas.map((s) => s.shape.Event.value));

const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isDigits = (v: unknown): v is string => typeof v === 'string' && DIGITS.test(v);
const isSeconds = (v: unknown): v is string => typeof v === 'string' && SECONDS.test(v);
const isOptionalText = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/**
 * textMessageSchema's result for a well-formed text message, checked by hand: text is nearly every
 * push under load, and the schema's parse was 3 % of the webhook thread (docs/benchmarks.md).
 * undefined for anything else, which the schema then parses or refuses with its precise error.
 */
function wellFormedText(fields: Record<string, unknown>): InboundOf<'text'> | undefined {
  const { ToUserName, FromUserName, CreateTime, MsgId, MsgDataId, Idx, Content } = fields;
  if (!isNonEmpty(ToUserName) || !isNonEmpty(FromUserName) || !isSeconds(CreateTime) || !isDigits(MsgId)) return undefined;
  if (typeof Content !== 'string' || !isOptionalText(MsgDataId) || !isOptionalText(Idx)) return undefined;
  const message: InboundOf<'text'> = { kind: 'text', ToUserName, FromUserName, CreateTime: Number(CreateTime), MsgId, MsgType: 'text', Content };
  if (MsgDataId !== undefined) message.MsgDataId = MsgDataId;
  if (Idx !== undefined) message.Idx = Idx;
  return message;
}

/** Validates the fields from `parseXml` into a typed message. */
export function parseInbound(fields: Record<string, unknown>): InboundMessage {
  const asText = fields.MsgType === 'text' ? wellFormedText(fields) : undefined;
  if (asText) return asText;
  if (fields.MsgType === 'event' && (typeof fields.Event !== 'string' || fields.Event === '')) {
    throw new WechatProtocolError('missing_field', 'Missing <Event>', { field: 'Event' });
  }
  const isKnown = fields.MsgType === 'event' ? KNOWN_EVENTS.has(fields.Event) : KNOWN_MSG_TYPES.has(fields.MsgType);
  const result = isKnown
    ? knownInboundSchema.safeParse({ ...fields, kind: undefined })
    : unknownInboundSchema.safeParse({ ...fields, kind: undefined, fields });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? 'MsgType');
  const missing = fields[field] === undefined;
  throw new WechatProtocolError(
    missing ? 'missing_field' : 'invalid_field',
    missing ? `Missing <${field}>` : `Invalid <${field}>: ${issue?.message ?? 'unexpected value'}`,
    { field },
  );
}

export function isEvent(msg: InboundMessage): boolean {
  return msg.MsgType === 'event';
}

/** A genuine user message (what may be handed to customer service; events never are — §3.3). */
export function isUserMessage(msg: InboundMessage): boolean {
  return msg.MsgType !== 'event' && msgIdOf(msg) !== undefined;
}

function msgIdOf(msg: InboundMessage): string | undefined {
  return 'MsgId' in msg ? msg.MsgId : undefined;
}

/** The QR scene of a parametric-QR follow (`qrscene_` stripped) or a SCAN; undefined otherwise. */
export function qrScene(msg: InboundMessage): string | undefined {
  if (msg.kind === 'event.SCAN') return msg.EventKey;
  if (msg.kind === 'event.subscribe' && msg.EventKey?.startsWith('qrscene_')) {
    return msg.EventKey.slice('qrscene_'.length);
  }
  return undefined;
}

/**
 * Idempotency key for a push (PROTOCOL.md §2.5): FromUserName:MsgId for messages, since a MsgId is
 * only known to be unique per sender (a key two followers shared once handed one follower the
 * other's stored reply); for events FromUserName:CreateTime:Event, the Event part keeping two
 * different events in one second apart. Customer-service session events also name their agents:
 * two switches of one follower in one second (A→B, then B→C) are two events, where a retry repeats
 * the same accounts.
 */
export function dedupeKey(msg: InboundMessage): string {
  const msgId = msgIdOf(msg);
  if (msg.MsgType !== 'event' && msgId !== undefined) return `${msg.FromUserName}:${msgId}`;
  const what = 'Event' in msg && msg.MsgType === 'event' ? (msg.Event ?? '') : msg.MsgType;
  const key = `${msg.FromUserName}:${msg.CreateTime}:${what}`;
  switch (msg.kind) {
    case 'event.kf_create_session':
    case 'event.kf_close_session':
      return `${key}:${msg.KfAccount}`;
    case 'event.kf_switch_session':
      return `${key}:${msg.FromKfAccount}>${msg.ToKfAccount}`;
    default:
      return key;
  }
}
