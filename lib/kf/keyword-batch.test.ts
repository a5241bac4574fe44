import { describe, expect, it } from 'vitest';
import type { ClaimedKeyword } from '@/db/queries/keyword-messages';
import { planKeywordBatch } from './keyword-batch';
import { textPayload, textToSend } from './outbox-messages';
import { defaultServiceHours } from './service-hours';
import type { KfSettings } from './settings';
import { DEFAULT_TEMPLATES } from './templates';

const settings = (schedule = 'mon-sun 00:00-24:00'): KfSettings => ({
  keywords: ['客服'],
  hours: defaultServiceHours(schedule, 'Asia/Shanghai'),
  waitMinutes: 30,
  templates: { ...DEFAULT_TEMPLATES, queue: 'Q {position}/{count}', agentAlert: 'A {position}/{count}', noAgents: 'none' },
});
const now = new Date('2026-11-30T03:00:00Z'); // a Monday, 11:00 in Shanghai

function claimed(rows: (Partial<ClaimedKeyword> & Pick<ClaimedKeyword, 'dedupeKey' | 'openid'>)[]): Map<string, ClaimedKeyword> {
  return new Map(
    rows.map((r, i) => [
      r.dedupeKey,
      { inboundId: i + 1, session: undefined, activeAgents: 1, alertOpenids: ['o_agent'], ...r },
    ]),
  );
}

const push = (dedupeKey: string, openid: string) => ({ dedupeKey, openid });

describe('planKeywordBatch', () => {
  it('queues new followers at the end of the line in arrival order, alerting every agent for each', () => {
    const pushes = [push('k1', 'o_a'), push('k2', 'o_b')];
    const plan = planKeywordBatch(pushes, claimed(pushes), settings(), now);
    expect(plan.open).toEqual(['o_a', 'o_b']);
    expect(plan.outbox.map((o) => [o.kind, o.openid, (o.payload as { text: { content: string } }).text.content, o.newSessionOf])).toEqual([
      // The place in line and the alert's count of the line are filled in at send time, for the session
      // the statement opens.
      ['queue_position', 'o_a', 'Q {position}/{count}', 'o_a'],
      ['agent_alert', 'o_agent', 'A {position}/{count}', 'o_a'],
      ['queue_position', 'o_b', 'Q {position}/{count}', 'o_b'],
      ['agent_alert', 'o_agent', 'A {position}/{count}', 'o_b'],
    ]);
    expect([...plan.replies.values()]).toEqual([{ type: 'transfer' }, { type: 'transfer' }]);
  });

  it('a second keyword from a follower queued earlier in the batch re-sends their place, tied to the new session', () => {
    const pushes = [push('k1', 'o_a'), push('k2', 'o_b'), push('k3', 'o_a')];
    const plan = planKeywordBatch(pushes, claimed(pushes), settings(), now);
    expect(plan.open).toEqual(['o_a', 'o_b']);
    const updates = plan.outbox.filter((o) => o.kind === 'queue_position');
    expect(updates.map((o) => [o.openid, o.newSessionOf])).toEqual([
      ['o_a', 'o_a'],
      ['o_b', 'o_b'],
      ['o_a', 'o_a'],
    ]);
    expect(plan.outbox.filter((o) => o.kind === 'agent_alert')).toHaveLength(2);
    expect(plan.replies.get('k3')).toEqual({ type: 'transfer' });
  });

  it('a waiting follower gets their place (tied to that session) and a transfer; an active one goes back to their agent', () => {
    const pushes = [push('k1', 'o_wait'), push('k2', 'o_active')];
    const plan = planKeywordBatch(
      pushes,
      claimed([
        { ...pushes[0]!, session: { id: 7, status: 'waiting' } },
        { ...pushes[1]!, session: { id: 8, status: 'active', kfAccount: 'kf2001@acct' } },
      ]),
      settings(),
      now,
    );
    expect(plan.open).toEqual([]);
    expect(plan.outbox).toHaveLength(1);
    expect(plan.outbox[0]).toMatchObject({
      openid: 'o_wait',
      payload: { text: { content: 'Q {position}/{count}' }, whileWaiting: 7, placeVars: { keyword: '客服' } },
    });
    expect(plan.outbox[0]!.newSessionOf).toBeUndefined();
    expect(plan.replies.get('k1')).toEqual({ type: 'transfer' });
    expect(plan.replies.get('k2')).toEqual({ type: 'transfer', kfAccount: 'kf2001@acct' });
  });

  it('outside service hours, or with no agents, answers with text and queues no one', () => {
    const pushes = [push('k1', 'o_a')];
    const closed = planKeywordBatch(pushes, claimed(pushes), settings('sat 09:00-10:00'), now);
    expect(closed.open).toEqual([]);
    expect(closed.replies.get('k1')).toMatchObject({ type: 'text' });
    expect((closed.replies.get('k1') as { content: string }).content).toContain('09:00');

    const noAgents = planKeywordBatch(pushes, claimed([{ ...pushes[0]!, activeAgents: 0, alertOpenids: [] }]), settings(), now);
    expect(noAgents.replies.get('k1')).toEqual({ type: 'text', content: 'none' });
    expect(noAgents.outbox).toEqual([]);
  });

  it('skips pushes it did not claim (retries of stored ones)', () => {
    const plan = planKeywordBatch([push('k1', 'o_a'), push('k2', 'o_b')], claimed([push('k2', 'o_b')]), settings(), now);
    expect([...plan.replies.keys()]).toEqual(['k2']);
    expect(plan.open).toEqual(['o_b']);
  });
});

describe('textToSend', () => {
  it('fills a place-in-line template with the place held at send time, in one pass', () => {
    const payload = textPayload('{keyword}: {count} waiting, you are number {position}', {
      whileWaiting: 3,
      placeVars: { keyword: '{position}', hours: '9-5' },
    });
    expect(textToSend(payload, { position: 2, count: 7 })).toBe('{position}: 7 waiting, you are number 2');
    expect(textToSend(textPayload('hello'), { position: 2, count: 7 })).toBe('hello');
  });
});
