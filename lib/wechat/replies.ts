import { buildXml } from './xml';

// Passive replies (PROTOCOL.md §3). The reply goes back to the sender, so To/From are swapped from the
// inbound push, and CreateTime is in seconds.

export interface ReplyTarget {
  FromUserName: string;
  ToUserName: string;
}

/** Acknowledges a push without replying; WeChat then neither shows anything nor retries. */
export const SUCCESS = 'success';

// When answering a user message WeChat shows only the first article (2018 rule); elsewhere up to 8.
// Extra articles are dropped here so what we store is what the user sees.
export const MAX_NEWS_ARTICLES_FOR_MESSAGE = 1;
export const MAX_NEWS_ARTICLES = 8;

function reply(inbound: ReplyTarget, now: Date, msgType: string, body: Record<string, unknown>): string {
  return buildXml({
    ToUserName: inbound.FromUserName,
    FromUserName: inbound.ToUserName,
    CreateTime: Math.floor(now.getTime() / 1000),
    MsgType: msgType,
    ...body,
  });
}

export function textReply(inbound: ReplyTarget, content: string, now = new Date()): string {
  return reply(inbound, now, 'text', { Content: content });
}

export function imageReply(inbound: ReplyTarget, mediaId: string, now = new Date()): string {
  return reply(inbound, now, 'image', { Image: { MediaId: mediaId } });
}

export function voiceReply(inbound: ReplyTarget, mediaId: string, now = new Date()): string {
  return reply(inbound, now, 'voice', { Voice: { MediaId: mediaId } });
}

export interface VideoReply {
  mediaId: string;
  title?: string;
  description?: string;
}

export function videoReply(inbound: ReplyTarget, video: VideoReply, now = new Date()): string {
  return reply(inbound, now, 'video', {
    Video: { MediaId: video.mediaId, Title: video.title, Description: video.description },
  });
}

export interface MusicReply {
  thumbMediaId: string;
  title?: string;
  description?: string;
  musicUrl?: string;
  hqMusicUrl?: string;
}

export function musicReply(inbound: ReplyTarget, music: MusicReply, now = new Date()): string {
  return reply(inbound, now, 'music', {
    Music: {
      Title: music.title,
      Description: music.description,
      MusicUrl: music.musicUrl,
      HQMusicUrl: music.hqMusicUrl,
      ThumbMediaId: music.thumbMediaId,
    },
  });
}

export interface NewsArticle {
  title: string;
  description?: string;
  picUrl?: string;
  url?: string;
}

export function newsReply(
  inbound: ReplyTarget,
  articles: readonly NewsArticle[],
  opts: { answeringMessage: boolean },
  now = new Date(),
): string {
  const limit = opts.answeringMessage ? MAX_NEWS_ARTICLES_FOR_MESSAGE : MAX_NEWS_ARTICLES;
  const kept = articles.slice(0, limit);
  if (kept.length === 0) throw new RangeError('A news reply needs at least one article');
  return reply(inbound, now, 'news', {
    ArticleCount: kept.length,
    Articles: {
      item: kept.map((a) => ({ Title: a.title, Description: a.description, PicUrl: a.picUrl, Url: a.url })),
    },
  });
}

/**
 * Hands this and later messages to the WeChat customer-service tool. With `kfAccount` WeChat waits for
 * that agent only, even if they are offline — check getonlinekflist first (PROTOCOL.md §3.3).
 */
export function transferReply(inbound: ReplyTarget, kfAccount?: string, now = new Date()): string {
  return reply(inbound, now, 'transfer_customer_service', {
    TransInfo: kfAccount === undefined ? undefined : { KfAccount: kfAccount },
  });
}

/**
 * A transfer naming an agent, for a caller that learns the agent only later (the webhook's batch
 * statements read it from the follower's session as they run): the reply is `before`, then the
 * kf_account written as CDATA content (as cdata() writes it: invalid characters dropped, `]]>`
 * split), then `after`. Cut from transferReply's own output, so filled in it is byte for byte the
 * reply transferReply(inbound, kfAccount, now) gives.
 */
export interface ReplyAroundAgent {
  before: string;
  after: string;
}

const AGENT_HOLE = 'wekf-agent-hole';

export function transferReplyAroundAgent(inbound: ReplyTarget, now = new Date()): ReplyAroundAgent {
  const xml = transferReply(inbound, AGENT_HOLE, now);
  const at = xml.indexOf(AGENT_HOLE);
  return {
    before: xml.slice(0, at),
    after: xml.slice(at + AGENT_HOLE.length),
  };
}
