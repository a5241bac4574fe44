import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAgent } from '@/db/queries/agents';
import { listSessionsByOpenid } from '@/db/queries/customer-sessions';
import { listOutboxFor } from '@/db/queries/outbox';
import { customerSessions } from '@/db/schema';
import { routeOf, type PushKind, type Route, type SessionState } from '@/lib/kf/routing';
import { defaultServiceHours } from '@/lib/service-hours';
import { forgetCachedSettings, loadKfSettings, saveKfSettings } from '@/lib/kf/settings';
import { offHoursText, renderText } from '@/lib/kf/texts';
import { DEFAULT_TEMPLATES } from '@/lib/kf/templates';
import { buildXml, parseXml } from '@/lib/wechat/xml';
import { testDatabases } from './databases';
import { nextMsgId, startKfHarness, type KfHarness } from './kf-harness';

// The webhook's routes, held to lib/kf/routing.ts's table: for every combination of facts, a push
// goes through the real webhook handler one at a time (the single-message path) and, for followers
// in the same situation, all together in one tick (the batch path: one keyword batch and one
// ordinary batch), and what happened (the reply and what was written) must be the route routeOf
// gives. The routes are decided by SQL (db/queries/plain-message.ts, keyword-messages.ts), so this
// is what keeps those statements and the table the same.

// An agent's account with the characters that could break the reply it is written into.
const PINNED_AGENT = 'pin]]><b>&@acct';
const PUSHES: PushKind[] = ['keyword', 'text', 'other'];
const SESSIONS: SessionState[] = ['none', 'waiting', 'active'];

interface Setup {
  inHours: boolean;
  agentsActive: boolean;
}
const SETUPS: Setup[] = [true, false].flatMap((inHours) => [true, false].map((agentsActive) => ({ inHours, agentsActive })));

describe.each(testDatabases)('routing on $kind', (testDb) => {
  // One webhook for the whole file: each setup below re-arranges the settings and the agents, and
  // its followers are its own.
  let h: KfHarness;
  beforeAll(async () => {
    h = await startKfHarness(testDb);
  });
  afterAll(async () => {
    await h.close();
  });

  describe.each(SETUPS)('in hours: $inHours, agents set up: $agentsActive', (setup) => {
    const tag = `${setup.inHours ? 'in' : 'out'}_${setup.agentsActive ? 'agents' : 'none'}`;
    let texts: { hint: string; noAgents: string; offHours: string };
    beforeAll(async () => {
      const now = new Date(h.sim.clock.now());
      const hours = setup.inHours ? '00:00-24:00' : laterHourRange(now.getTime());
      await saveKfSettings(h.database.db, { settings: { hours: defaultServiceHours(hours, 'Asia/Shanghai') }, userId: null });
      // An agent that is not active does not count as set up.
      await upsertAgent(h.database.db, { kfAccount: 'staff@acct', nickname: 'staff', status: setup.agentsActive ? 'active' : 'invited', kfOpenid: `o_staff_${tag}` });
      forgetCachedSettings();
      const settings = await loadKfSettings(h.database.db);
      texts = { hint: renderText(settings, 'hint'), noAgents: renderText(settings, 'noAgents'), offHours: offHoursText(settings, now) };
    });

    /** Gives the follower the session the facts say, directly in the table. */
    async function arrange(openid: string, session: SessionState): Promise<void> {
      const now = new Date(h.sim.clock.now());
      if (session === 'waiting') {
        await h.database.db.insert(customerSessions).values({ openid, status: 'waiting', queuedAt: now, waitExpiresAt: new Date(now.getTime() + 30 * 60_000) });
      } else if (session === 'active') {
        await h.database.db.insert(customerSessions).values({ openid, status: 'active', kfAccount: PINNED_AGENT, queuedAt: now, startedAt: now });
      }
    }

    function pushBody(openid: string, push: PushKind): Buffer {
      const base = { ToUserName: h.sim.credentials.originalId, FromUserName: openid, CreateTime: Math.floor(h.sim.clock.now() / 1000), MsgId: nextMsgId() };
      const fields =
        push === 'other'
          ? { ...base, MsgType: 'image', PicUrl: 'http://example.com/p.jpg', MediaId: 'media-1' }
          : { ...base, MsgType: 'text', Content: push === 'keyword' ? '客服' : '你好' };
      return Buffer.from(buildXml(fields));
    }

    async function send(body: Buffer): Promise<string> {
      const response = await h.handle(body);
      expect(response.status).toBe(200);
      return response.body;
    }

    async function written(openid: string) {
      const sessions = (await listSessionsByOpenid(h.database.db, { openid })).length;
      const places = (await listOutboxFor(h.database.db, { openid })).filter((row) => row.kind === 'queue_position').length;
      const alerts = (await listOutboxFor(h.database.db, { openid: `o_staff_${tag}` })).length;
      return { sessions, places, alerts };
    }

    /** The route a push took, from its reply and what it wrote. */
    function observed(openid: string, reply: string, before: Awaited<ReturnType<typeof written>>, after: typeof before): Route {
      if (reply === 'success') return 'acknowledge';
      const xml = parseXml(reply);
      expect(xml.ToUserName).toBe(openid); // every reply goes back to its own sender
      if (xml.MsgType === 'text') {
        const found = (Object.entries({ hint: texts.hint, no_agents: texts.noAgents, off_hours: texts.offHours }) as [Route, string][]).find(
          ([, text]) => text === xml.Content,
        );
        if (!found) throw new Error(`unexpected text reply: ${String(xml.Content)}`);
        return found[0];
      }
      expect(xml.MsgType).toBe('transfer_customer_service');
      const agent = (xml.TransInfo as { KfAccount?: string } | undefined)?.KfAccount;
      if (agent !== undefined) {
        expect(agent).toBe(PINNED_AGENT);
        return 'transfer_to_agent';
      }
      if (after.sessions > before.sessions) {
        expect(after.alerts).toBeGreaterThan(before.alerts); // the agent with an openid is alerted
        return 'open';
      }
      if (after.places > before.places) return 'requeue';
      return 'transfer';
    }

    const cases = PUSHES.flatMap((push) => SESSIONS.map((session) => ({ push, session })));

    it.each(cases)('one push at a time: a $push with session $session takes the route the table gives', async ({ push, session }) => {
      const openid = `o_single_${tag}_${push}_${session}`;
      await arrange(openid, session);
      const before = await written(openid);
      const reply = await send(pushBody(openid, push));
      const route = observed(openid, reply, before, await written(openid));
      expect(route).toBe(routeOf({ push, session, ...setup }));
    });

    it('many pushes in one batch each take the route the table gives, a second keyword after an opening one as waiting', async () => {
      const followers = cases.map((c) => ({ ...c, openid: `o_batch_${tag}_${c.push}_${c.session}` }));
      for (const f of followers) await arrange(f.openid, f.session);
      await loadKfSettings(h.database.db); // cached, so every push below reaches its batcher in this tick
      const before = await Promise.all(followers.map((f) => written(f.openid)));
      const twice = `o_batch_${tag}_twice`;
      const beforeTwice = await written(twice);
      // Sent together: the keyword pushes form one batch, the others another.
      const replies = await Promise.all([...followers.map((f) => send(pushBody(f.openid, f.push))), send(pushBody(twice, 'keyword')), send(pushBody(twice, 'keyword'))]);
      for (const [i, f] of followers.entries()) {
        const route = observed(f.openid, replies[i]!, before[i]!, await written(f.openid));
        expect({ ...f, route }).toEqual({ ...f, route: routeOf({ push: f.push, session: f.session, ...setup }) });
      }
      const first = routeOf({ push: 'keyword', session: 'none', ...setup });
      const afterTwice = await written(twice);
      expect(afterTwice.sessions - beforeTwice.sessions).toBe(first === 'open' ? 1 : 0);
      expect(afterTwice.places - beforeTwice.places).toBe(first === 'open' ? 2 : 0); // opened, then requeued
    });
  });

  describe('reply texts', () => {
    it('reach the follower intact with ]]> and < in them, one push at a time and in a batch', async () => {
      const hint = 'Type 「客服」 ]]> <b>now</b> & wait';
      const noAgents = 'Nobody ]]]]> here <yet>';
      await upsertAgent(h.database.db, { kfAccount: 'staff@acct', nickname: 'staff', status: 'invited', kfOpenid: null });
      await saveKfSettings(h.database.db, {
        settings: { hours: defaultServiceHours('00:00-24:00', 'Asia/Shanghai'), templates: { ...DEFAULT_TEMPLATES, hint, noAgents } },
        userId: null,
      });
      forgetCachedSettings();
      await loadKfSettings(h.database.db);
      const text = (body: string) => parseXml(body).Content;
      const signedPush = (openid: string, content: string) =>
        h.handle(buildXml({ ToUserName: 'gh', FromUserName: openid, CreateTime: 1, MsgType: 'text', Content: content, MsgId: nextMsgId() })).then((r) => r.body);
      // One at a time, and through the fake WeChat's phone, as a follower sees it.
      expect(text(await signedPush('o_t1', '你好'))).toBe(hint);
      expect(text(await signedPush('o_t2', '客服'))).toBe(noAgents);
      const seen = await h.sim.follower('o_t3').sendText('你好');
      expect(seen.route === 'webhook' && seen.push.outcome?.kind === 'message' ? seen.push.outcome.text : undefined).toBe(hint);
      // In batches.
      const batch = await Promise.all([signedPush('o_t4', '你好'), signedPush('o_t5', '你好'), signedPush('o_t6', '客服'), signedPush('o_t7', '客服')]);
      expect(batch.map(text)).toEqual([hint, hint, noAgents, noAgents]);
    });
  });
});

/** A one-hour range starting two hours from now in Shanghai, so now is outside it. */
function laterHourRange(nowMs: number): string {
  const hour = (new Date(nowMs).getUTCHours() + 8 + 2) % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(hour)}:00-${pad((hour + 1) % 24)}:00`;
}
