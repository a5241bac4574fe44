// POST/GET /api/wechat — receive a follower's message (and WeChat's URL check).
// A plain function of (method, query, body) → (status, headers, body): server.ts serves it outside
// Next's pipeline and tests call it directly. Guard order: query (signature, freshness, mode) →
// size → parse → replay → dedupe → act (replay and dedupe in the statement that stores the push). The query checks (webhook-query.ts) need no body, so the listener
// runs them before reading one (lib/server/webhook-http.ts) and an unsigned or stale push costs no upload.
import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { claimInbound, completeInbound } from '@/db/queries/inbound-messages';
import { DEFERRED, recordPlainMessages, REPLAYED, type PlainMessage, type PlainOutcome } from '@/db/queries/plain-message';
import { memoryReplayStore, recordPushQuery, type PushQuery } from '@/db/queries/replay-store';
import { errorText, log, maskOpenid } from '@/lib/log';
import type { WechatCrypto } from '@/lib/wechat/crypto';
import { WechatProtocolError } from '@/lib/wechat/errors';
import { dedupeKey, parseInbound, type InboundMessage } from '@/lib/wechat/messages';
import { SUCCESS, textReply, transferReply } from '@/lib/wechat/replies';
import { verifyMsgSignature } from '@/lib/wechat/signature';
import { parseXml, sanitizeXmlText } from '@/lib/wechat/xml';
import { bindByCode, bindingCodeOf } from './agent-binding';
import { routeEvent, type FlowContext, type FlowReply } from './flow';
import { placeInLineRow, runKeywordBatch, type KeywordItem, type KeywordResult } from './keyword-batch';
import { MicroBatcher } from './micro-batcher';
import { pushKindOf, replyAroundAgent, routeOf, routeReply } from './routing';
import { loadKfSettings, type KfSettings } from './settings';
import { oncePerMinute, plainText, pushQueryOf, queryChecker, refusalWarner } from './webhook-query';
import { renderText } from './texts';

export interface WebhookRequest {
  method: string;
  query: URLSearchParams;
  body: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookOptions {
  token: string;
  /** Present when an EncodingAESKey is configured (compatible and safe mode). */
  crypto?: WechatCrypto;
  /** How far a push's query timestamp may be from this server's clock (WECHAT_MAX_SKEW_SECONDS). */
  maxSkewSeconds?: number;
  /** The wall clock the query timestamp is checked against; `now` may be a test's simulated clock. */
  wallClock?: () => number;
  database: () => DatabaseHandle;
  now?: () => Date;
  /**
   * How long a push may wait for its statement before it is answered 503 (WeChat then retries).
   * Inside WeChat's own 5 s: a slow database is waited out and the push answered with its reply;
   * a statement that fails is answered 503 at once.
   */
  databaseDeadlineMs?: number;
  /** Called after a push that queued outbound messages has committed. */
  onOutboundQueued?: () => void;
  /** Called after a session event that named an agent not synced yet has committed. */
  onUnknownAgent?: () => void;
}

// Under WeChat's 5 s, with room for the answer to travel. Answering 503 sooner (it was 1 s) turned a
// busy minute into lost pushes: each 503 brings a retry, adding load, and after three WeChat gives up.
export const DATABASE_DEADLINE_MS = 4000;
// A real push is a few KB; refusing more before buffering it keeps one request's memory small.
export const WEBHOOK_MAX_BODY = 64 * 1024;
const webhookLog = log.child({ module: 'webhook' });
const text = plainText;
const xml = (body: string): WebhookResponse => ({ status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body });

export interface Webhook {
  /** The checks that need no body: an answer to send at once, or undefined to read the body and handle it. */
  checkQuery(method: string, query: URLSearchParams): WebhookResponse | undefined;
  handle(request: WebhookRequest): Promise<WebhookResponse>;
  /** handle() for a caller that has run checkQuery on this request and been given no answer. */
  handleChecked(request: WebhookRequest): Promise<WebhookResponse>;
}

export function createWebhook(options: WebhookOptions): Webhook {
  const now = options.now ?? (() => new Date());
  const deadlineMs = options.databaseDeadlineMs ?? DATABASE_DEADLINE_MS;
  const batchers = createBatchers(options);
  const warn = refusalWarner(webhookLog, options.wallClock);
  const warnUnhandled = countedWarner(webhookLog, options.wallClock);
  const checkQuery = queryChecker({ ...options, warn });

  /** What a handled push asks of the rest of the process, once it has committed. */
  function afterCommit(handled: Handled): void {
    if (handled.queuedOutbound) options.onOutboundQueued?.();
    if (handled.unknownAgent) options.onUnknownAgent?.();
  }

  async function handle(request: WebhookRequest): Promise<WebhookResponse> {
    return checkQuery(request.method, request.query) ?? handleChecked(request);
  }

  async function handleChecked(request: WebhookRequest): Promise<WebhookResponse> {
    const q = request.query;
    if (request.method === 'GET') return text(200, q.get('echostr')!);
    if (request.body.length > WEBHOOK_MAX_BODY) return text(413, 'payload too large');
    const signed = { signature: q.get('signature')!, timestamp: q.get('timestamp')!, nonce: q.get('nonce')! };

    const encrypted = q.get('encrypt_type') === 'aes';
    let message: InboundMessage;
    // What the replay store binds to the signed query: the body as sent, or for an encrypted push the
    // message inside it. msg_signature already vouches for the ciphertext, and WeChat may encrypt a
    // retry afresh (new random bytes, same message): refused as a replay, it would be lost.
    let signedContent: Buffer = request.body;
    try {
      if (encrypted) {
        const opened = openEncrypted(request.body, q, signed, options);
        message = opened.message;
        signedContent = Buffer.from(opened.plaintext);
      } else message = parseInbound(parseXml(request.body));
    } catch (error) {
      if (error instanceof WechatProtocolError) {
        // An encrypted push that cannot be opened: the key or the appid, far likelier than an attack,
        // since the query's signature (made with the token) was right.
        if (encrypted && error.code === 'bad_aes_key') warn('noAesKey');
        if (encrypted && (error.code === 'bad_signature' || error.code === 'decrypt_failed' || error.code === 'appid_mismatch')) warn('unopenable', { reason: error.code });
        if (error.code === 'bad_signature') return text(403, 'bad signature');
        return text(400, `bad request: ${error.code}`);
      }
      throw error;
    }

    let replyXml: string;
    // A database that cannot even be asked for (options.database() throws) fails the work, not the request.
    const work = (async () => handleOnce(message, pushQueryOf(q, signedContent), options.database(), now(), batchers))();
    try {
      const handled = await withDeadline(work, deadlineMs);
      if (handled.replayed) {
        webhookLog.warn({ openid: maskOpenid(message.FromUserName), msgType: message.MsgType }, 'replayed push refused: its signed query came before with another body');
        return text(403, 'replayed push');
      }
      replyXml = handled.reply;
      afterCommit(handled);
    } catch (error) {
      // The dedupe key names the follower: the log gets the message id and a masked openid only.
      const about = { openid: maskOpenid(message.FromUserName), msgType: message.MsgType, msgId: 'MsgId' in message ? message.MsgId : undefined };
      if (!(error instanceof DeadlineError)) {
        warnUnhandled('push not handled; WeChat will retry', { ...about, err: errorText(error) });
        return text(503, 'temporarily unavailable');
      }
      // Still queued or running: it is stored and handled when the database answers, and WeChat's
      // retry then gets the stored reply (or joins the push in flight), so it acts once. A keyword's
      // own statements are cut off at the deadline (runKeywordBatch), so one that would only act
      // after WeChat stopped trying does not act at all.
      warnUnhandled('push not handled in time; answered 503, it is handled when the database answers', { ...about, ms: deadlineMs });
      work.then(
        afterCommit,
        (late: unknown) => warnUnhandled('a push answered 503 could not be handled; WeChat will retry', { ...about, err: errorText(late) }),
      );
      return text(503, 'temporarily unavailable');
    }
    if (replyXml === SUCCESS) return text(200, SUCCESS);
    if (encrypted && options.crypto) return xml(options.crypto.encryptReply(replyXml, String(Math.floor(now().getTime() / 1000)), signed.nonce));
    return xml(replyXml);
  }

  return { checkQuery, handle, handleChecked };
}

/** The webhook as one function, for callers that have the whole request at once. */
export function createWebhookHandler(options: WebhookOptions): (request: WebhookRequest) => Promise<WebhookResponse> {
  return createWebhook(options).handle;
}

function openEncrypted(
  body: Buffer,
  q: URLSearchParams,
  signed: { timestamp: string; nonce: string },
  options: WebhookOptions,
): { message: InboundMessage; plaintext: string } {
  if (!options.crypto) throw new WechatProtocolError('bad_aes_key', 'encrypted push but no EncodingAESKey is configured');
  const envelope = parseXml(body);
  const encrypt = typeof envelope.Encrypt === 'string' ? envelope.Encrypt : '';
  if (!encrypt) throw new WechatProtocolError('missing_field', 'Missing <Encrypt>', { field: 'Encrypt' });
  const msgSignature = q.get('msg_signature') ?? '';
  if (!verifyMsgSignature(options.token, { msgSignature, timestamp: signed.timestamp, nonce: signed.nonce, encrypt })) {
    throw new WechatProtocolError('bad_signature', 'msg_signature does not match');
  }
  const plaintext = options.crypto.decrypt(encrypt);
  return { message: parseInbound(parseXml(plaintext)), plaintext };
}

type Handled = { reply: string; queuedOutbound: boolean; replayed?: boolean; unknownAgent?: boolean };
const REFUSED: Handled = { reply: SUCCESS, queuedOutbound: false, replayed: true };

/**
 * Each push acts once: a retry, or a duplicate arriving meanwhile, gets the first delivery's reply.
 * A follower's message is routed by routing.ts's table, decided in the statement that stores it.
 */
async function handleOnce(message: InboundMessage, signedQuery: PushQuery, database: DatabaseHandle, now: Date, batchers: Batchers): Promise<Handled> {
  // On PGlite the replay store is in memory: checked here, and the statements are given no query to check.
  let query: PushQuery | undefined = signedQuery;
  const inMemory = memoryReplayStore(database);
  if (inMemory) {
    if (!(inMemory instanceof Promise ? await inMemory : inMemory).admit(signedQuery)) return REFUSED;
    query = undefined;
  }
  const settings = await loadKfSettings(database);
  // An agent binding their openid with a code: taken before keyword routing, one transaction.
  const code = bindingCodeOf(message);
  if (code !== undefined) {
    return handleEvent(message, query, settings, database, now, async (ctx) => ({
      type: 'text',
      content: await bindByCode({ tx: ctx.tx, openid: message.FromUserName, now: ctx.now, settings: ctx.settings, code }),
    }));
  }
  const kind = pushKindOf(message, settings.keywords);
  if (kind === undefined) return handleEvent(message, query, settings, database, now);
  const push = { dedupeKey: dedupeKey(message), openid: message.FromUserName, msgType: message.MsgType, summary: summarize(message), query };
  // Every follower's message goes to the ordinary statement first. There hours and agents do not
  // matter: a push without a session gets the hint or nothing, and a keyword without one is deferred
  // to the keyword transaction, which reads them (so its reply without a session is never used).
  const outcome = await batchers.plain().submit({
    now,
    message: {
      ...push,
      replyWithoutSession: kind === 'keyword' ? SUCCESS : replyWithoutSession(kind, message, now, settings),
      replyWhileWaiting: routeReply('transfer', message, now, {}),
      replyToAgent: replyAroundAgent(message, now),
      keyword: kind === 'keyword' ? { placeInLine: placeInLineRow(settings) } : undefined,
    },
  });
  if (outcome === REPLAYED) return REFUSED;
  if (outcome !== DEFERRED) return { reply: outcome.reply ?? SUCCESS, queuedOutbound: outcome.queued };
  // A keyword from a follower with no open session: the keyword transaction may open one.
  const handled = await batchers.keywords().submit({ push, target: message, settings, now });
  if (handled.replayed) return REFUSED;
  return { reply: handled.reply ?? SUCCESS, queuedOutbound: handled.queuedOutbound };
}

/** The hint or nothing: routing.ts's route for a text or another message type from a follower without a session. */
function replyWithoutSession(kind: 'text' | 'other', message: InboundMessage, now: Date, settings: KfSettings): string {
  const route = routeOf({ push: kind, session: 'none', inHours: true, agentsActive: true }) as 'hint' | 'acknowledge';
  return routeReply(route, message, now, { hint: kind === 'text' ? renderText(settings, 'hint') : undefined });
}

type PlainItem = { message: PlainMessage; now: Date };
interface Batchers {
  plain(): MicroBatcher<PlainItem, PlainOutcome>;
  keywords(): MicroBatcher<KeywordItem, KeywordResult>;
}

/**
 * Follower messages go to the database in batches (see micro-batcher.ts): ordinary ones one
 * statement per batch, keywords one transaction per batch. Created on first use, when the database
 * kind is known.
 */
function createBatchers(options: WebhookOptions): Batchers {
  let plain: MicroBatcher<PlainItem, PlainOutcome> | undefined;
  let keywords: MicroBatcher<KeywordItem, KeywordResult> | undefined;
  const maxBatch = 64;
  // Batches in flight. PGlite in this thread runs one statement at a time and nothing else runs
  // meanwhile: one batch at a time. Where the database works apart from this thread (Postgres, or
  // PGlite in its own thread), a second batch waits there, ready, while the first runs; more than two
  // only made batches smaller (on PGlite's thread, 2 against 4: the same msgs/s and CPU a message).
  // On Postgres a transaction's fixed cost dwarfs what each push adds (bench/micro.ts: a keyword
  // alone in its transaction costs Postgres five times what it costs nine to a transaction, three to
  // one twice as much), so batches should be large, yet one ordinary batch at a time left the
  // database idle between batches. Measured at 20% keywords (docs/benchmarks.md): two ordinary
  // batches and one keyword batch; a second keyword batch halved their size and cost a tenth more CPU
  // per push, and four of each cost a quarter of the throughput. One keyword batch at a time also
  // means two of this process's batches never race to open the same follower's session (across
  // processes, runKeywordBatch retries the loser).
  const apart = () => options.database().runsApart;
  return {
    plain: () =>
      (plain ??= new MicroBatcher<PlainItem, PlainOutcome>({
        maxBatch,
        maxInFlight: apart() ? 2 : 1,
        keyOf: (item) => item.message.dedupeKey,
        run: (items) => recordPlainMessages(options.database(), items.map((item) => item.message), latestNow(items)),
      })),
    keywords: () =>
      (keywords ??= new MicroBatcher<KeywordItem, KeywordResult>({
        maxBatch,
        maxInFlight: 1,
        keyOf: (item) => item.push.dedupeKey,
        // Each statement no longer than the deadline (runKeywordBatch): a keyword never acts after WeChat gave up on it.
        run: (items) => runKeywordBatch(options.database(), items, latestNow(items), { statementTimeoutMs: options.databaseDeadlineMs ?? DATABASE_DEADLINE_MS }),
      })),
  };
}

/** A batch is handled at the time its latest push arrived. */
function latestNow(items: { now: Date }[]): Date {
  return new Date(Math.max(...items.map((item) => item.now.getTime())));
}

/**
 * Events (follows, clicks, session changes) and binding codes: claim, act and store the reply in one
 * transaction, so a retry gets the stored reply and acts no more.
 */
async function handleEvent(
  message: InboundMessage,
  query: PushQuery | undefined,
  settings: KfSettings,
  database: DatabaseHandle,
  now: Date,
  act: (ctx: FlowContext) => Promise<FlowReply> = (ctx) => routeEvent(message, ctx),
): Promise<Handled> {
  return database.db.transaction(async (tx) => {
    if (query && !(await recordPushQuery(tx, query))) return REFUSED;
    const claim = await claimInbound(tx, {
      dedupeKey: dedupeKey(message),
      openid: message.FromUserName,
      msgType: message.MsgType,
      event: 'Event' in message && typeof message.Event === 'string' ? message.Event : null,
      summary: summarize(message),
      receivedAt: now,
    });
    if (!claim.claimed) return { reply: claim.reply ?? SUCCESS, queuedOutbound: false };
    const ctx: FlowContext = { tx, now, settings, queuedOutbound: false };
    const reply = toXml(await act(ctx), message, now);
    await completeInbound(tx, { id: claim.id, reply });
    return { reply, queuedOutbound: ctx.queuedOutbound === true, unknownAgent: ctx.unknownAgent };
  });
}

function toXml(reply: FlowReply, message: InboundMessage, now: Date): string {
  switch (reply.type) {
    case 'success':
      return SUCCESS;
    case 'text':
      return textReply(message, reply.content, now);
    case 'transfer':
      return transferReply(message, reply.kfAccount, now);
  }
}

/**
 * A short record of what arrived, for the console; never the whole body. Control characters are
 * dropped: Postgres cannot store a NUL, and one in a follower's text must not make the push fail.
 */
function summarize(message: InboundMessage): string | null {
  const m = message as Record<string, unknown>;
  const parts = [m.Content, m.Recognition, m.EventKey, m.KfAccount, m.FromKfAccount && `${m.FromKfAccount}→${m.ToKfAccount}`]
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return parts.length ? sanitizeXmlText(parts.join(' ')).slice(0, 200) : null;
}

class DeadlineError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`no answer from the database within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * A warning written at most once a minute, with how many times it happened since its last line
 * (`times`): a burst or an outage answered 503 would otherwise write a line for every push.
 */
function countedWarner(logger: Pick<typeof webhookLog, 'warn'>, wallClock: () => number = Date.now) {
  const due = oncePerMinute(wallClock);
  const times = new Map<string, number>();
  return (message: string, fields: Record<string, unknown>) => {
    const count = (times.get(message) ?? 0) + 1;
    if (!due(message)) return void times.set(message, count);
    logger.warn({ ...fields, times: count }, message);
    times.set(message, 0);
  };
}
