// The Agents page's "queue alerts" column (listAgentsForConsole): whether WeChat lets wekf message
// each agent now, from the windows PROTOCOL.md §6.7 gives: 5 sends in the 48 hours after a message
// to the account, 3 in the minute after a scan or a follow (the QR binding's scan is one). And the
// chats each holds, by wekf's own sessions, as the Live page counts them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listAgentsForConsole, upsertAgent } from '@/db/queries/agents';
import { listLiveAgents } from '@/db/queries/live-queue';
import { customerSessions, followers } from '@/db/schema';
import { testDatabases } from './databases';

const NOW = new Date('2026-12-07T08:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3600_000;

describe.each(testDatabases)('agent alert readiness on $kind', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ handle, drop } = await testDb.open()));
  afterAll(() => drop());

  async function agent(name: string, follower?: Partial<typeof followers.$inferInsert>) {
    await upsertAgent(handle.db, { kfAccount: `${name}@acct`, nickname: name, status: 'active', kfOpenid: follower ? `o_${name}` : null });
    if (follower) await handle.db.insert(followers).values({ openid: `o_${name}`, ...follower });
  }

  it('is ready inside either window with sends left, used up or closed otherwise', async () => {
    await agent('unbound');
    await agent('chatted', { messageSendsLeft: 5, messageGrantExpiresAt: later(40 * HOUR) });
    await agent('scanned', { eventSendsLeft: 3, eventGrantExpiresAt: later(30_000) });
    await agent('spent', { messageSendsLeft: 0, messageGrantExpiresAt: later(HOUR), eventSendsLeft: 0, eventGrantExpiresAt: later(30_000) });
    await agent('spentButScanned', { messageSendsLeft: 0, messageGrantExpiresAt: later(HOUR), eventSendsLeft: 2, eventGrantExpiresAt: later(30_000) });
    await agent('quiet', { messageSendsLeft: 5, messageGrantExpiresAt: later(-HOUR), eventSendsLeft: 3, eventGrantExpiresAt: later(-1000) });
    await agent('left', { subscribed: false, messageSendsLeft: 5, messageGrantExpiresAt: later(HOUR) });

    const readiness = Object.fromEntries((await listAgentsForConsole(handle.db, { now: NOW })).map((a) => [a.nickname, a.alerts]));
    expect(readiness).toEqual({
      unbound: 'no_openid',
      chatted: 'ready',
      scanned: 'ready',
      spent: 'used_up',
      spentButScanned: 'ready',
      quiet: 'window_closed',
      left: 'window_closed',
    });
    // The Live page's agents say the same, as whether an alert could reach them.
    const live = Object.fromEntries((await listLiveAgents(handle.db, NOW)).map((a) => [a.nickname, a.alertable]));
    expect(live).toEqual({ unbound: false, chatted: true, scanned: true, spent: false, spentButScanned: true, quiet: false, left: false });
  });

  it("counts the chats each agent holds now from wekf's sessions, not WeChat's last-synced figure", async () => {
    await upsertAgent(handle.db, { kfAccount: 'busy@acct', nickname: 'busy', status: 'active' });
    await upsertAgent(handle.db, { kfAccount: 'idle@acct', nickname: 'idle', status: 'active' });
    await handle.db.insert(customerSessions).values([
      { openid: 'o_f1', status: 'active', kfAccount: 'busy@acct', startedAt: NOW },
      { openid: 'o_f2', status: 'active', kfAccount: 'busy@acct', startedAt: NOW },
      { openid: 'o_f3', status: 'closed', kfAccount: 'busy@acct', startedAt: NOW, endedAt: NOW },
      { openid: 'o_f4', status: 'waiting' },
    ]);
    const chats = Object.fromEntries((await listAgentsForConsole(handle.db, { now: NOW })).map((a) => [a.nickname, a.activeChats]));
    expect(chats).toMatchObject({ busy: 2, idle: 0 });
    // The Live page's list of agents, the same way.
    const live = Object.fromEntries((await listLiveAgents(handle.db, NOW)).map((a) => [a.nickname, a.activeChats]));
    expect(live).toMatchObject({ busy: 2, idle: 0 });
  });
});
