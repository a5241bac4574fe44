import { describe, expect, it } from 'vitest';
import { parseInbound } from './messages';
import {
  imageReply,
  musicReply,
  newsReply,
  SUCCESS,
  textReply,
  transferReply,
  transferReplyAroundAgent,
  videoReply,
  voiceReply,
} from './replies';
import { cdata, parseXml } from './xml';

const inbound = { ToUserName: 'gh_oa', FromUserName: 'oUser' };
const now = new Date('2024-05-17T10:15:29.999Z');
const HEAD = '<xml><ToUserName><![CDATA[oUser]]></ToUserName><FromUserName><![CDATA[gh_oa]]></FromUserName><CreateTime>1715940929</CreateTime>';

describe('passive replies', () => {
  it('text reply swaps To/From, uses whole seconds and matches the documented XML', () => {
    expect(textReply(inbound, '你好', now)).toBe(`${HEAD}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>`);
  });

  it('text reply accepts a parsed inbound message and defaults CreateTime to now', () => {
    const msg = parseInbound({ ToUserName: 'gh_oa', FromUserName: 'oUser', CreateTime: '1', MsgType: 'text', Content: 'hi', MsgId: '1' });
    const before = Math.floor(Date.now() / 1000);
    const fields = parseXml(textReply(msg, 'x'));
    expect(fields.ToUserName).toBe('oUser');
    expect(Number(fields.CreateTime)).toBeGreaterThanOrEqual(before);
  });

  it('text reply survives "]]>" and control characters in content', () => {
    expect(parseXml(textReply(inbound, 'a]]>b\u0001c', now)).Content).toBe('a]]>bc');
  });

  it('image and voice replies wrap MediaId', () => {
    expect(imageReply(inbound, 'm1', now)).toBe(`${HEAD}<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[m1]]></MediaId></Image></xml>`);
    expect(voiceReply(inbound, 'm2', now)).toBe(`${HEAD}<MsgType><![CDATA[voice]]></MsgType><Voice><MediaId><![CDATA[m2]]></MediaId></Voice></xml>`);
  });

  it('video reply writes MediaId, Title and Description, leaving out what is not given', () => {
    expect(videoReply(inbound, { mediaId: 'v', title: 't', description: 'd' }, now)).toBe(
      `${HEAD}<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[v]]></MediaId><Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description></Video></xml>`,
    );
    expect(videoReply(inbound, { mediaId: 'v' }, now)).toContain('<Video><MediaId><![CDATA[v]]></MediaId></Video>');
  });

  it('music reply uses WeChat element names', () => {
    const xml = musicReply(inbound, { title: 't', description: 'd', musicUrl: 'u', hqMusicUrl: 'h', thumbMediaId: 'th' }, now);
    expect(xml).toBe(
      `${HEAD}<MsgType><![CDATA[music]]></MsgType><Music><Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description>` +
        '<MusicUrl><![CDATA[u]]></MusicUrl><HQMusicUrl><![CDATA[h]]></HQMusicUrl><ThumbMediaId><![CDATA[th]]></ThumbMediaId></Music></xml>',
    );
  });

  const articles = Array.from({ length: 10 }, (_, i) => ({ title: `t${i}`, description: 'd', picUrl: 'p', url: 'u' }));

  it('news reply to a user message keeps 1 article', () => {
    const xml = newsReply(inbound, articles, { answeringMessage: true }, now);
    expect(xml).toBe(
      `${HEAD}<MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item><Title><![CDATA[t0]]></Title>` +
        '<Description><![CDATA[d]]></Description><PicUrl><![CDATA[p]]></PicUrl><Url><![CDATA[u]]></Url></item></Articles></xml>',
    );
  });

  it('news reply to an event keeps up to 8 articles', () => {
    const fields = parseXml(newsReply(inbound, articles, { answeringMessage: false }, now));
    expect(fields.ArticleCount).toBe('8');
    expect((fields.Articles as { item: unknown[] }).item).toHaveLength(8);
  });

  it('news reply refuses an empty article list', () => {
    expect(() => newsReply(inbound, [], { answeringMessage: false }, now)).toThrow(RangeError);
  });

  it('transfer reply without an agent has no TransInfo', () => {
    expect(transferReply(inbound, undefined, now)).toBe(`${HEAD}<MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>`);
  });

  it('transfer reply to a named agent carries TransInfo/KfAccount', () => {
    expect(transferReply(inbound, 'test1@test', now)).toBe(
      `${HEAD}<MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[test1@test]]></KfAccount></TransInfo></xml>`,
    );
  });

  it('a transfer around an agent, filled with the kf_account as cdata() writes it, is transferReply to that agent', () => {
    const around = transferReplyAroundAgent(inbound, now);
    for (const kfAccount of ['test1@test', 'a]]>b@test', '<x&y>@t', 'ctl\u0001@t']) {
      const content = cdata(kfAccount).slice('<![CDATA['.length, -']]>'.length);
      const filled = around.before + content + around.after;
      expect(filled).toBe(transferReply(inbound, kfAccount, now));
      expect((parseXml(filled).TransInfo as Record<string, unknown>).KfAccount).toBe(kfAccount.replace('\u0001', ''));
    }
  });

  it('SUCCESS is the bare word WeChat expects', () => {
    expect(SUCCESS).toBe('success');
  });
});
