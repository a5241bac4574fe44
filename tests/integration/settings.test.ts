// Settings saved in the console: env seeds an empty database, each section saves under an optimistic
// version with its audit line, and a save reaches every instance's webhook on the next message
// (LISTEN/NOTIFY), on both engines. Also the audit log: sign-ins recorded, rows append-only, pages
// by keyset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { openPostgres } from '@/db/engines/postgres';
import { CHANNEL, notify, subscribe } from '@/db/listen';
import { listAuditPage, recordAudit, withAuditContext } from '@/db/queries/audit-log';
import { rawExecutor } from '@/db/queries/raw';
import { getSetting, putSetting } from '@/db/queries/settings';
import { createUser } from '@/db/queries/users';
import { authorizeCredentials } from '@/lib/auth/options';
import { hashPassword } from '@/lib/auth/password';
import { env } from '@/lib/env';
import { readSettingsView, saveSettingsSection, seedSettings, SettingsConflictError } from '@/lib/kf/settings';
import { defaultServiceHours } from '@/lib/service-hours';
import { closedWeek } from '@/lib/service-hours/model';
import { testDatabases } from './databases';
import { isTransfer, replyText, startKfHarness, type KfHarness } from './kf-harness';

const closedHours = { timezone: 'Asia/Shanghai', weekly: closedWeek(), holidays: [], extraWorkdays: [] };
const OFF_HOURS = '现在不在服务时间内';

async function addAdmin(db: DatabaseHandle['db'], name: string) {
  return createUser(db, { email: `${name}@x.test`, name, passwordHash: await hashPassword(`${name}-password-1`), role: 'admin' });
}

function nextNotification(handle: DatabaseHandle): Promise<string> {
  return new Promise((resolve, reject) => {
    let stop: (() => Promise<void>) | undefined;
    subscribe(handle, CHANNEL.settings, (payload) => {
      void stop?.();
      resolve(payload);
    }).then((s) => (stop = s), reject);
  });
}

describe.each(testDatabases)('settings on $kind', (testDb) => {
  describe('an empty database', () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, drop } = await testDb.open());
    });
    afterAll(() => drop());

    it('serves the env seed and says so, until a section is saved', async () => {
      const view = await readSettingsView(handle.db);
      expect(view.settings).toEqual(seedSettings());
      expect(view.settings.keywords).toEqual(env().KF_KEYWORDS);
      expect(view.sections.hours).toEqual({ version: 0, saved: false, revision: null });
      expect(view.sections.templates.saved).toBe(false);

      const ann = await addAdmin(handle.db, 'ann');
      await saveSettingsSection(handle.db, { section: 'keywords', values: { keywords: ['人工'], waitMinutes: 15, repeatPosition: true }, expectedVersion: 0, actor: ann });
      const after = await readSettingsView(handle.db);
      expect(after.sections.keywords).toMatchObject({ version: 1, saved: true, revision: { version: 1, userId: ann.id, userName: 'ann' } });
      // The other sections still come from env: a save of one never freezes the others.
      expect(after.sections.hours.saved).toBe(false);
      expect(after.settings.hours).toEqual(seedSettings().hours);
    });
  });

  describe('saving', () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    let ann: { id: number; name: string };
    let bob: { id: number; name: string };
    beforeAll(async () => {
      ({ handle, drop } = await testDb.open());
      ann = await addAdmin(handle.db, 'ann');
      bob = await addAdmin(handle.db, 'bob');
    });
    afterAll(() => drop());

    it('records who saved, with the before → after in the audit log and the request IP', async () => {
      const hours = defaultServiceHours('mon-fri 09:00-18:00', 'Asia/Shanghai');
      const outcome = await withAuditContext({ ip: '203.0.113.9' }, () =>
        saveSettingsSection(handle.db, { section: 'hours', values: { hours }, expectedVersion: 0, actor: ann }),
      );
      expect(outcome).toEqual({ saved: true, version: 1 });
      const [row] = await listAuditPage(handle.db, { limit: 1, kind: 'settings' });
      expect(row).toMatchObject({ action: 'settings.hours', userId: ann.id, userName: 'ann', ip: '203.0.113.9' });
      expect(row!.changes).toEqual({ before: { hours: seedSettings().hours }, after: { hours } });
    });

    it('refuses a save edited from an older version, naming who saved since and when; nothing changes', async () => {
      const before = await readSettingsView(handle.db);
      const attempt = saveSettingsSection(handle.db, { section: 'hours', values: { hours: closedHours }, expectedVersion: 0, actor: bob });
      await expect(attempt).rejects.toBeInstanceOf(SettingsConflictError);
      await expect(attempt).rejects.toMatchObject({ code: 'settings.conflict', params: { who: 'ann', at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/) } });
      expect(await readSettingsView(handle.db)).toEqual(before);
      const rows = await listAuditPage(handle.db, { limit: 10, kind: 'settings' });
      expect(rows.filter((r) => r.userId === bob.id)).toEqual([]);
    });

    it('lets exactly one of two admins saving the same version at once win', async () => {
      const version = (await readSettingsView(handle.db)).sections.hours.version;
      const results = await Promise.allSettled([
        saveSettingsSection(handle.db, { section: 'hours', values: { hours: closedHours }, expectedVersion: version, actor: ann }),
        saveSettingsSection(handle.db, { section: 'hours', values: { hours: defaultServiceHours('10:00-16:00', 'Asia/Shanghai') }, expectedVersion: version, actor: bob }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(SettingsConflictError);
      expect((await readSettingsView(handle.db)).sections.hours.version).toBe(version + 1);
    });

    it('keeps only edited reply texts, so untouched ones follow the default; saving what is in force changes nothing', async () => {
      const { templates } = seedSettings();
      const edited = { ...templates, welcome: '欢迎！回复「{keyword}」找人工。' };
      await saveSettingsSection(handle.db, { section: 'templates', values: { templates: edited }, expectedVersion: 0, actor: ann });
      const view = await readSettingsView(handle.db);
      expect(Object.keys(((await getSetting(handle.db, { key: 'kf' })) as { templates: object }).templates)).toEqual(['welcome']);
      expect(view.settings.templates).toEqual(edited);
      const again = await saveSettingsSection(handle.db, { section: 'templates', values: { templates: edited }, expectedVersion: 1, actor: ann });
      expect(again).toEqual({ saved: false, version: 1 });
    });
  });

  describe('a save reaches the webhook on the next message', () => {
    let h: KfHarness;
    beforeAll(async () => {
      h = await startKfHarness(testDb);
      await h.addAgent('cara');
    });
    afterAll(() => h.close());

    it('in this instance and, on Postgres, from another instance with its own connections', async () => {
      // The first push loads the settings for this handle and starts listening.
      expect(isTransfer(await h.sim.follower('o_s1').sendText('客服'))).toBe(true); // in hours: queued
      const heard = nextNotification(h.database);
      await new Promise((r) => setTimeout(r, 50));

      const admin = await addAdmin(h.database.db, 'dan');
      const other = h.databaseUrl ? await openPostgres(h.databaseUrl, { max: 2 }) : undefined;
      try {
        const version = (await readSettingsView(h.database.db)).sections.hours.version;
        // Saved elsewhere: through the other instance's pool on Postgres; on PGlite (one instance per
        // folder) written straight to the table with the same NOTIFY, past this process's cache.
        if (other) await saveSettingsSection(other.db, { section: 'hours', values: { hours: closedHours }, expectedVersion: version, actor: admin });
        else await writeBehindCache(h.database, closedHours);
        await heard;
        expect(replyText(await h.sim.follower('o_s2').sendText('客服'))).toContain(OFF_HOURS);
      } finally {
        await other?.close();
      }
    });

    it('keeps serving its cache between notifications, and drops it on the next one', async () => {
      const open = defaultServiceHours('00:00-24:00', 'Asia/Shanghai');
      // A change nobody announced is not read yet: the webhook is not querying settings per push…
      await h.database.db.transaction((tx) => putSettingHours(tx, open));
      expect(replyText(await h.sim.follower('o_s3').sendText('客服'))).toContain(OFF_HOURS);
      // …and the announcement is what makes the next message read it.
      const heard = nextNotification(h.database);
      await new Promise((r) => setTimeout(r, 50));
      await h.database.db.transaction((tx) => notify(tx, CHANNEL.settings, 'hours:test'));
      await heard;
      expect(isTransfer(await h.sim.follower('o_s4').sendText('客服'))).toBe(true);
    });

    it("honours 'repeat the place in line': off, a waiting follower's keyword is transferred without another one", async () => {
      const placesFor = async (openid: string) =>
        (await rawExecutor(h.database).query<{ n: number }>(`select count(*)::int as n from outbox where openid = $1 and kind = 'queue_position'`, [openid]))[0]!.n;
      const admin = await addAdmin(h.database.db, 'fay');
      const save = async (repeatPosition: boolean) => {
        const version = (await readSettingsView(h.database.db)).sections.keywords.version;
        await saveSettingsSection(h.database.db, { section: 'keywords', values: { keywords: ['客服', 'help'], waitMinutes: 30, repeatPosition }, expectedVersion: version, actor: admin });
      };
      expect(isTransfer(await h.sim.follower('o_r1').sendText('客服'))).toBe(true);
      const first = await placesFor('o_r1');
      expect(first).toBe(1);
      await save(false);
      expect(isTransfer(await h.sim.follower('o_r1').sendText('客服'))).toBe(true);
      expect(await placesFor('o_r1')).toBe(first);
      await save(true);
      expect(isTransfer(await h.sim.follower('o_r1').sendText('客服'))).toBe(true);
      expect(await placesFor('o_r1')).toBe(first + 1);
    });
  });

  describe('the audit log', () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, drop } = await testDb.open());
    });
    afterAll(() => drop());

    it('records sign-in successes and failures with the client IP, never the password', async () => {
      const eve = await createUser(handle.db, { email: 'eve@x.test', name: 'eve', passwordHash: await hashPassword('eve-password-1'), role: 'operator' });
      await authorizeCredentials(handle.db, { email: 'eve@x.test', password: 'eve-password-1' }, '198.51.100.7');
      await expect(authorizeCredentials(handle.db, { email: 'eve@x.test', password: 'wrong-password' }, '198.51.100.8')).rejects.toThrow('invalid');
      await expect(authorizeCredentials(handle.db, { email: 'nobody@x.test', password: 'whatever-1' }, '198.51.100.9')).rejects.toThrow('invalid');
      const rows = await listAuditPage(handle.db, { limit: 10, kind: 'auth' });
      expect(rows.map((r) => [r.action, r.userId, r.target, r.ip])).toEqual([
        ['auth.sign_in_failed', null, 'nobody@x.test', '198.51.100.9'],
        ['auth.sign_in_failed', eve.id, 'eve@x.test', '198.51.100.8'],
        ['auth.sign_in', eve.id, 'eve@x.test', '198.51.100.7'],
      ]);
      expect(JSON.stringify(rows)).not.toContain('wrong-password');
    });

    it('refuses to update or delete a row, whoever asks', async () => {
      await recordAudit(handle.db, { userId: null, action: 'test.append_only' });
      const raw = rawExecutor(handle);
      await expect(raw.query(`update audit_log set action = 'x' where action = 'test.append_only'`, [])).rejects.toThrow(/append-only/);
      await expect(raw.query(`delete from audit_log where action = 'test.append_only'`, [])).rejects.toThrow(/append-only/);
      expect(await listAuditPage(handle.db, { limit: 1, kind: 'test' })).toHaveLength(1);
    });

    it('pages by keyset through rows sharing one timestamp to the microsecond, each row once', async () => {
      await rawExecutor(handle).query(`insert into audit_log (action, created_at) select 'bulk.row', '2026-01-01T00:00:00.123456Z' from generate_series(1, 120)`, []);
      const seen: number[] = [];
      let cursor: { at: string; id: number } | undefined;
      for (;;) {
        const page = await listAuditPage(handle.db, { limit: 50, kind: 'bulk', cursor });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.id));
        cursor = { at: page.at(-1)!.cursorAt, id: page.at(-1)!.id };
      }
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
    });
  });
});

async function putSettingHours(tx: Parameters<Parameters<DatabaseHandle['db']['transaction']>[0]>[0], hours: unknown) {
  const view = await readSettingsView(tx);
  await putSetting(tx, { key: 'kf', value: { ...view.settings, hours, revisions: {} }, userId: null });
}

/** Another process's save: the row and the NOTIFY, without this process's cache hearing of it directly. */
async function writeBehindCache(handle: DatabaseHandle, hours: unknown) {
  await handle.db.transaction(async (tx) => {
    await putSettingHours(tx, hours);
    await notify(tx, CHANNEL.settings, 'hours:elsewhere');
  });
}
