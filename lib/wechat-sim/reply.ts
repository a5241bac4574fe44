// How WeChat reads the webhook's answer to a push: `success` or an empty body acknowledges, an XML
// reply is shown to the follower, `transfer_customer_service` hands the follower to customer service.
// Anything malformed (bad XML, JSON, a plaintext XML in safe mode, a bad MsgSignature) is what makes
// the follower see "该公众号暂时无法提供服务，请稍后再试".
import type { WechatCrypto } from '../wechat/crypto';
import { parseXml, type XmlFields } from '../wechat/xml';
import type { PushMode } from './state';

export type ReplyOutcome =
  | { kind: 'ack' }
  | { kind: 'message'; msgType: string; text: string; fields: XmlFields }
  | { kind: 'transfer'; kfAccount: string | undefined }
  | { kind: 'invalid'; reason: string };

/** News replies to a follower's message carry 1 article, to anything else up to 8; extras are dropped. */
const MAX_ARTICLES = { message: 1, event: 8 } as const;
const SHOWN_TYPES = new Set(['text', 'image', 'voice', 'video', 'music', 'news']);

export function readReply(
  body: string,
  opts: { mode: PushMode; crypto: WechatCrypto | undefined; repliesTo: 'message' | 'event' },
): ReplyOutcome {
  // Exactly these two bodies acknowledge; "success\n" or a blank XML is not the same thing.
  if (body === '' || body === 'success') return { kind: 'ack' };
  let fields: XmlFields;
  try {
    fields = unwrap(parseXml(body), body, opts);
  } catch (error) {
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
  const msgType = fields.MsgType;
  if (msgType === 'transfer_customer_service') {
    const transInfo = fields.TransInfo;
    const kfAccount = typeof transInfo === 'object' && transInfo !== null ? (transInfo as XmlFields).KfAccount : undefined;
    return { kind: 'transfer', kfAccount: typeof kfAccount === 'string' && kfAccount !== '' ? kfAccount : undefined };
  }
  if (typeof msgType !== 'string' || !SHOWN_TYPES.has(msgType)) {
    return { kind: 'invalid', reason: `unsupported reply MsgType ${JSON.stringify(msgType)}` };
  }
  if (msgType === 'text') {
    if (typeof fields.Content !== 'string') return { kind: 'invalid', reason: 'text reply without <Content>' };
    return { kind: 'message', msgType, text: fields.Content, fields };
  }
  if (msgType === 'news') return { kind: 'message', msgType, text: '[news]', fields: trimArticles(fields, opts.repliesTo) };
  return { kind: 'message', msgType, text: `[${msgType}]`, fields };
}

function unwrap(outer: XmlFields, body: string, opts: { mode: PushMode; crypto: WechatCrypto | undefined }): XmlFields {
  if (outer.Encrypt === undefined) {
    if (opts.mode === 'safe') throw new Error('safe mode needs an encrypted reply');
    return outer;
  }
  if (opts.mode === 'plain' || !opts.crypto) throw new Error('encrypted reply to a plaintext-mode account');
  // decryptReply checks MsgSignature over (token, TimeStamp, Nonce, Encrypt) and the trailing AppID.
  return parseXml(opts.crypto.decryptReply(body));
}

function trimArticles(fields: XmlFields, repliesTo: 'message' | 'event'): XmlFields {
  const articles = fields.Articles;
  const items = typeof articles === 'object' && articles !== null ? (articles as XmlFields).item : undefined;
  const list = Array.isArray(items) ? items : items === undefined ? [] : [items];
  const kept = list.slice(0, MAX_ARTICLES[repliesTo]);
  return { ...fields, ArticleCount: String(kept.length), Articles: { item: kept } };
}
