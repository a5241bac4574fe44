// A follower's message renews their send grant (5 sends for 48 h) on the batched webhook path, but a
// grant that is whole and was renewed seconds ago is not rewritten: a chatting follower's messages
// cost no row version each. What the outbox may send is never more than WeChat allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { RENEW_SKIP_SECONDS } from '@/db/queries/followers';
import { recordPlainMessages, type PlainMessage } from '@/db/queries/plain-message';
import { testDatabases } from './databases';

const T0 = new Date('2026-12-01T02:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOURS_48 = 48 * 3600_000;
let key = 1;
const message = (openid: string): PlainMessage => ({
  dedupeKey: `grant:${key++}`,
  openid,
  msgType: 'text',
  summary: 'hi',
  replyWithoutSession: 'success',
  replyWhileWaiting: 'success',
  replyToAgent: { before: '', after: '' },
});

describe.each(testDatabases)('message grants on $kind', (testDb) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ handle, drop } = await testDb.open()));
  afterAll(() => drop());

  async function grant(openid: string) {
    const result = await handle.db.execute(
      sql`select xmin::text as version, message_sends_left as sends, message_grant_expires_at as expires, last_interaction_at as seen from followers where openid = ${openid}`,
    );
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { version: string; sends: number; expires: string | Date; seen: string | Date }[];
    return { version: row!.version, sends: Number(row!.sends), expires: new Date(row!.expires).getTime(), seen: new Date(row!.seen).getTime() };
  }

  it('renews on the first message, leaves a fresh whole grant alone, and renews once sends were spent or time passed', async () => {
    const openid = 'o_grant_1';
    await recordPlainMessages(handle, [message(openid)], at(0));
    const first = await grant(openid);
    expect(first).toMatchObject({ sends: 5, expires: at(0).getTime() + HOURS_48, seen: at(0).getTime() });

    // Seconds later, grant still whole: not rewritten.
    await recordPlainMessages(handle, [message(openid)], at(RENEW_SKIP_SECONDS - 4));
    expect(await grant(openid)).toEqual(first);

    // A send spent one: the next message gives all five back, whatever the time.
    await handle.db.execute(sql`update followers set message_sends_left = 4 where openid = ${openid}`);
    await recordPlainMessages(handle, [message(openid)], at(RENEW_SKIP_SECONDS - 2));
    expect(await grant(openid)).toMatchObject({ sends: 5, expires: at(RENEW_SKIP_SECONDS - 2).getTime() + HOURS_48 });

    // Longer than the skip after the last renewal: renewed again.
    await recordPlainMessages(handle, [message(openid)], at(2 * RENEW_SKIP_SECONDS + 1));
    expect(await grant(openid)).toMatchObject({ sends: 5, expires: at(2 * RENEW_SKIP_SECONDS + 1).getTime() + HOURS_48 });
  });

  it('renews a follower who had unsubscribed, at once', async () => {
    const openid = 'o_grant_2';
    await recordPlainMessages(handle, [message(openid)], at(0));
    await handle.db.execute(sql`update followers set subscribed = false where openid = ${openid}`);
    await recordPlainMessages(handle, [message(openid)], at(1));
    const result = await handle.db.execute(sql`select subscribed from followers where openid = ${openid}`);
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { subscribed: boolean }[];
    expect(row!.subscribed).toBe(true);
  });
});
