// POST /cgi-bin/message/custom/send and /cgi-bin/message/custom/typing: the customer-service
// message API, gated by the follower's send window (see quota.ts).
import type { SimClock } from '../clock';
import { SimApiError } from '../errors';
import { objectBody, objectField, stringField, type JsonObject } from '../body';
import type { Route } from '../http';
import { consumeSend, requireWindow } from '../quota';
import { deliver, knownFollower, type SimState } from '../state';

/** Typing needs a message or event from the follower this recently, and lasts this long. */
const TYPING_NEEDS_INTERACTION_MS = 30_000;
const TYPING_LASTS_MS = 15_000;

interface SendDeps {
  state: SimState;
  clock: SimClock;
}

export function customSendRoutes(deps: SendDeps): Route[] {
  return [
    {
      path: '/cgi-bin/message/custom/send',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => sendCustomMessage(deps, objectBody(req.body)),
    },
    {
      path: '/cgi-bin/message/custom/typing',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => setTyping(deps, objectBody(req.body)),
    },
  ];
}

function sendCustomMessage(deps: SendDeps, body: JsonObject) {
  const msgType = stringField(body, 'msgtype') ?? '';
  const text = validatePayload(msgType, body);
  const follower = knownFollower(deps.state, stringField(body, 'touser'));
  const kfAccount = stringField(objectField(body, 'customservice') ?? {}, 'kf_account');
  if (kfAccount !== undefined && !deps.state.accounts.has(kfAccount)) throw new SimApiError(65401);

  const now = deps.clock.now();
  consumeSend(follower, now, { endless: deps.state.config.anyoneReachable });
  // Sending a message ends the typing indicator, as it does in the WeChat client.
  follower.typingUntil = undefined;
  deliver(deps.state, {
    openid: follower.openid,
    at: now,
    source: 'custom',
    msgType,
    text,
    payload: body,
    ...(kfAccount ? { kfAccount } : {}),
  });
  return { errcode: 0, errmsg: 'ok' };
}

/** Checks the msgtype's payload and returns the text the follower would see. */
function validatePayload(msgType: string, body: JsonObject): string {
  const payload = objectField(body, msgType);
  switch (msgType) {
    case 'text': {
      const content = payload && stringField(payload, 'content');
      if (!content) throw new SimApiError(44004);
      return content;
    }
    case 'image':
    case 'voice':
    case 'video':
    case 'mpnews':
      if (!payload || !stringField(payload, 'media_id')) throw new SimApiError(40007);
      return `[${msgType}]`;
    case 'news': {
      const articles = payload?.articles;
      if (!Array.isArray(articles) || articles.length === 0) throw new SimApiError(44003);
      if (articles.length > 1) throw new SimApiError(45008);
      return '[news]';
    }
    case 'music':
    case 'mpnewsarticle':
    case 'msgmenu':
    case 'wxcard':
    case 'miniprogrampage':
      if (!payload) throw new SimApiError(47001);
      return `[${msgType}]`;
    default:
      throw new SimApiError(40008);
  }
}

function setTyping(deps: SendDeps, body: JsonObject) {
  const command = stringField(body, 'command');
  if (command !== 'Typing' && command !== 'CancelTyping') throw new SimApiError(45072);
  const follower = knownFollower(deps.state, stringField(body, 'touser'));
  const now = deps.clock.now();
  requireWindow(follower, now);
  if (command === 'CancelTyping') {
    follower.typingUntil = undefined;
    return { errcode: 0, errmsg: 'ok' };
  }
  if (follower.lastInteractionAt === undefined || now - follower.lastInteractionAt > TYPING_NEEDS_INTERACTION_MS) {
    throw new SimApiError(45080);
  }
  if (follower.typingUntil !== undefined && now < follower.typingUntil) throw new SimApiError(45081);
  follower.typingUntil = now + TYPING_LASTS_MS;
  return { errcode: 0, errmsg: 'ok' };
}
