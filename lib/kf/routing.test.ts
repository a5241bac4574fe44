import { describe, expect, it } from 'vitest';
import { parseInbound } from '@/lib/wechat/messages';
import { parseXml } from '@/lib/wechat/xml';
import { pushKindOf, replyAroundAgent, ROUTING_TABLE, routeOf, routeReply, type PushKind, type RouteFacts, type RoutingCase, type SessionState } from './routing';

const PUSHES: PushKind[] = ['keyword', 'text', 'other'];
const SESSIONS: SessionState[] = ['none', 'waiting', 'active'];
const BOOLS = [true, false];

function allFacts(): RouteFacts[] {
  return PUSHES.flatMap((push) =>
    SESSIONS.flatMap((session) => BOOLS.flatMap((inHours) => BOOLS.map((agentsActive) => ({ push, session, inHours, agentsActive })))),
  );
}

const oneOf = <T,>(want: T | readonly T[] | undefined, got: T) => want === undefined || (Array.isArray(want) ? want.includes(got) : want === got);
const covers = (c: RoutingCase, f: RouteFacts) =>
  oneOf(c.when.push, f.push) &&
  oneOf(c.when.session, f.session) &&
  (c.when.inHours === undefined || c.when.inHours === f.inHours) &&
  (c.when.agentsActive === undefined || c.when.agentsActive === f.agentsActive);

describe('the routing table', () => {
  it.each(allFacts())('has exactly one case for %o, and routeOf agrees with it', (facts) => {
    const cases = ROUTING_TABLE.filter((c) => covers(c, facts));
    expect(cases).toHaveLength(1);
    expect(routeOf(facts)).toBe(cases[0]!.route);
  });
});

describe('push kinds', () => {
  const base = { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgId: '9' };
  it('tells the keyword (trimmed, any Latin case) from other text and other message types; events are not routed', () => {
    expect(pushKindOf(parseInbound({ ...base, MsgType: 'text', Content: ' Help ' }), ['客服', 'help'])).toBe('keyword');
    expect(pushKindOf(parseInbound({ ...base, MsgType: 'text', Content: '你好' }), ['客服'])).toBe('text');
    expect(pushKindOf(parseInbound({ ...base, MsgType: 'image', PicUrl: 'http://x', MediaId: 'm' }), ['客服'])).toBe('other');
    expect(pushKindOf(parseInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'event', Event: 'subscribe' }), ['客服'])).toBeUndefined();
  });
});

describe('route replies', () => {
  const target = { ToUserName: 'gh_oa', FromUserName: 'o_fan' };
  const now = new Date('2026-12-01T02:00:00Z');
  it('are addressed back to the sender and carry a text with ]]> and < intact', () => {
    const tricky = 'a]]>b <c> & d';
    for (const [route, texts] of [
      ['hint', { hint: tricky }],
      ['off_hours', { offHours: tricky }],
      ['no_agents', { noAgents: tricky }],
    ] as const) {
      const xml = parseXml(routeReply(route, target, now, texts));
      expect(xml).toMatchObject({ ToUserName: 'o_fan', FromUserName: 'gh_oa', MsgType: 'text', Content: tricky });
    }
    expect(routeReply('acknowledge', target, now, {})).toBe('success');
    expect(parseXml(routeReply('open', target, now, {})).MsgType).toBe('transfer_customer_service');
  });

  it('refuse to build a text reply without its text', () => {
    expect(() => routeReply('hint', target, now, {})).toThrow(/hint/);
  });

  it('leave a hole for the agent only inside TransInfo/KfAccount', () => {
    const around = replyAroundAgent(target, now);
    expect(around.before.endsWith('<KfAccount><![CDATA[')).toBe(true);
    expect(around.after.startsWith(']]></KfAccount></TransInfo>')).toBe(true);
  });
});
