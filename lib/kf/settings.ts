// Customer-service settings: keywords, service hours, wait expiry and reply texts. Stored in the
// settings table (edited in the console, one save per section), seeded from env while a section has
// never been saved. Read on every push, so cached per database handle:
// - each handle LISTENs on CHANNEL.settings (db/listen.ts) and drops its cache when any instance
//   saves, so the next message reads the new value;
// - a cache is still kept at most LISTENING_MAX_AGE_MS, because a notification sent while the
//   LISTEN connection was reconnecting is lost (postgres.js re-listens, but does not replay);
// - until the LISTEN is confirmed (or when it failed), a cache lives CACHE_MS, as before.
import 'server-only';
import { z } from 'zod';
import type { DatabaseHandle, Db, DbOrTx } from '@/db/client';
import { CHANNEL, notify, subscribe } from '@/db/listen';
import { recordAudit } from '@/db/queries/audit-log';
import { getSetting, lockSetting, putSetting } from '@/db/queries/settings';
import { env } from '@/lib/env';
import { DomainError } from '@/lib/errors';
import { errorText, log } from '@/lib/log';
import { defaultServiceHours, serviceHoursSchema, type ServiceHours } from '@/lib/service-hours';
import { DEFAULT_TEMPLATES, type TemplateName } from './templates';

export interface KfSettings {
  keywords: string[];
  hours: ServiceHours;
  waitMinutes: number;
  /** Whether a waiting follower's keyword re-sends their place in line. */
  repeatPosition: boolean;
  templates: Record<TemplateName, string>;
}

/** What one save on the settings page covers. */
export const SETTINGS_SECTIONS = ['hours', 'keywords', 'templates'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export interface SectionValues {
  hours: { hours: ServiceHours };
  keywords: { keywords: string[]; waitMinutes: number; repeatPosition: boolean };
  templates: { templates: Record<TemplateName, string> };
}

/** Who saved a section last, and its version: a save names the version it was edited from. */
export interface SectionRevision {
  version: number;
  userId: number | null;
  userName: string | null;
  /** ISO instant. */
  at: string;
}

const SETTINGS_KEY = 'kf';
const CACHE_MS = 2000;
const LISTENING_MAX_AGE_MS = 30_000;
const RETRY_LISTEN_MS = 30_000;

const revisionSchema = z.object({
  version: z.number().int().min(0),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  at: z.string(),
});

// What the database may hold: any subset; missing parts fall back to the env seed.
const storedSchema = z
  .object({
    keywords: z.array(z.string().min(1)).min(1),
    hours: serviceHoursSchema,
    waitMinutes: z.number().int().min(1).max(24 * 60),
    repeatPosition: z.boolean(),
    // Only texts that differ from the default are stored, so an untouched text follows the default.
    templates: z.record(z.string(), z.string()),
    revisions: z.object({ hours: revisionSchema, keywords: revisionSchema, templates: revisionSchema }).partial(),
  })
  .partial();
type Stored = z.infer<typeof storedSchema>;

const settingsLog = log.child({ module: 'settings' });

export function seedSettings(): KfSettings {
  const e = env();
  return {
    keywords: e.KF_KEYWORDS,
    hours: defaultServiceHours(e.SERVICE_HOURS, e.SERVICE_TIMEZONE),
    waitMinutes: e.QUEUE_WAIT_MINUTES,
    repeatPosition: true,
    templates: { ...DEFAULT_TEMPLATES },
  };
}

function parseStored(raw: unknown): Stored {
  const parsed = storedSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  // A row no version of this code wrote: keep serving the seed rather than fail every push.
  settingsLog.error({ issues: parsed.error.issues.length }, 'stored settings unreadable; serving the env seed');
  return {};
}

function merge(seed: KfSettings, s: Stored): KfSettings {
  const templates = { ...seed.templates };
  for (const name of Object.keys(templates) as TemplateName[]) {
    const text = s.templates?.[name];
    if (text) templates[name] = text;
  }
  return {
    keywords: s.keywords ?? seed.keywords,
    hours: s.hours ?? seed.hours,
    waitMinutes: s.waitMinutes ?? seed.waitMinutes,
    repeatPosition: s.repeatPosition ?? seed.repeatPosition,
    templates,
  };
}

// ---- the cache, per database handle (two handles in one process are two instances) ----

interface Watch {
  state: 'starting' | 'listening' | 'failed';
  since: number;
}
const cache = new WeakMap<object, { value: KfSettings; at: number; generation: number }>();
// Bumped by a notification; a read that began before it is not cached.
const epochs = new WeakMap<object, number>();
const watches = new WeakMap<object, Watch>();
let generation = 0;

function invalidate(db: object): void {
  epochs.set(db, (epochs.get(db) ?? 0) + 1);
  cache.delete(db);
}

function isHandle(source: DatabaseHandle | DbOrTx): source is DatabaseHandle {
  return 'db' in source && 'kind' in source;
}

function watch(handle: DatabaseHandle, now: number): void {
  const current = watches.get(handle.db);
  if (current && (current.state !== 'failed' || now - current.since < RETRY_LISTEN_MS)) return;
  const entry: Watch = { state: 'starting', since: now };
  watches.set(handle.db, entry);
  subscribe(handle, CHANNEL.settings, () => invalidate(handle.db)).then(
    () => {
      entry.state = 'listening';
      // A save made before the LISTEN began was never announced to this handle.
      invalidate(handle.db);
    },
    (error: unknown) => {
      entry.state = 'failed';
      entry.since = Date.now();
      settingsLog.warn({ err: errorText(error) }, 'cannot listen for settings changes; re-reading them every 2 s');
    },
  );
}

/**
 * The settings in force. Given a handle (as the webhook does), it listens for saves in any instance;
 * given a bare db or transaction, it caches CACHE_MS.
 */
export async function loadKfSettings(source: DatabaseHandle | DbOrTx, now = Date.now()): Promise<KfSettings> {
  const handle = isHandle(source) ? source : undefined;
  const db = handle ? handle.db : (source as DbOrTx);
  if (handle) watch(handle, now);
  const maxAge = watches.get(db)?.state === 'listening' ? LISTENING_MAX_AGE_MS : CACHE_MS;
  const entry = cache.get(db);
  if (entry && entry.generation === generation && now - entry.at < maxAge) return entry.value;
  const epoch = epochs.get(db) ?? 0;
  const value = merge(seedSettings(), parseStored(await getSetting(db, { key: SETTINGS_KEY })));
  if ((epochs.get(db) ?? 0) === epoch) cache.set(db, { value, at: now, generation });
  return value;
}

/** Tests change settings between cases. */
export function forgetCachedSettings(): void {
  generation += 1;
}

// ---- the settings page: what is in force, where it came from, and saving one section ----

export interface SettingsView {
  settings: KfSettings;
  /** Per section: its version (0 = never saved here), and who saved it last. */
  sections: Record<SettingsSection, { version: number; saved: boolean; revision: SectionRevision | null }>;
}

function sectionSaved(s: Stored, section: SettingsSection): boolean {
  if (section === 'hours') return s.hours !== undefined;
  if (section === 'keywords') return s.keywords !== undefined || s.waitMinutes !== undefined || s.repeatPosition !== undefined;
  return Object.keys(s.templates ?? {}).length > 0;
}

/** Fresh from the database (no cache): the page must show what a save would be compared with. */
export async function readSettingsView(db: DbOrTx): Promise<SettingsView> {
  const stored = parseStored(await getSetting(db, { key: SETTINGS_KEY }));
  const settings = merge(seedSettings(), stored);
  const sections = Object.fromEntries(
    SETTINGS_SECTIONS.map((section) => {
      const revision = stored.revisions?.[section] ?? null;
      return [section, { version: revision?.version ?? 0, saved: sectionSaved(stored, section), revision }];
    }),
  ) as SettingsView['sections'];
  return { settings, sections };
}

function sectionOf<S extends SettingsSection>(settings: KfSettings, section: S): SectionValues[S] {
  const values: SectionValues = {
    hours: { hours: settings.hours },
    keywords: { keywords: settings.keywords, waitMinutes: settings.waitMinutes, repeatPosition: settings.repeatPosition },
    templates: { templates: settings.templates },
  };
  return values[section];
}

/** What a section's values add to the stored row. */
function storedPart(section: SettingsSection, values: SectionValues[SettingsSection]): Stored {
  if (section !== 'templates') return values as Stored;
  const { templates } = values as SectionValues['templates'];
  const custom = Object.fromEntries(
    (Object.entries(templates) as [TemplateName, string][]).filter(([name, text]) => DEFAULT_TEMPLATES[name] !== text),
  );
  return { templates: custom };
}

export type SaveOutcome = { saved: true; version: number } | { saved: false; version: number };

/**
 * Saves one section if nobody saved it since `expectedVersion` (else SettingsConflictError naming
 * who did and when), with its audit line (before → after) and a NOTIFY that every instance's cache
 * hears once the transaction commits. Saving what is already in force changes nothing.
 */
export async function saveSettingsSection<S extends SettingsSection>(
  db: Db,
  params: { section: S; values: SectionValues[S]; expectedVersion: number; actor: { id: number; name: string } },
): Promise<SaveOutcome> {
  const { section, values, actor } = params;
  const outcome = await db.transaction(async (tx): Promise<SaveOutcome> => {
    const raw = await lockSetting(tx, { key: SETTINGS_KEY, empty: {} });
    const stored = parseStored(raw);
    const current = stored.revisions?.[section];
    const version = current?.version ?? 0;
    if (version !== params.expectedVersion) throw new SettingsConflictError(current, stored.hours?.timezone ?? seedSettings().hours.timezone);
    const before = sectionOf(merge(seedSettings(), stored), section);
    if (JSON.stringify(before) === JSON.stringify(values)) return { saved: false, version };
    const revision: SectionRevision = { version: version + 1, userId: actor.id, userName: actor.name, at: new Date().toISOString() };
    const next: Stored = { ...stored, ...storedPart(section, values), revisions: { ...stored.revisions, [section]: revision } };
    await putSetting(tx, { key: SETTINGS_KEY, value: next, userId: actor.id });
    // The action names the section; the page renders the change as a diff.
    await recordAudit(tx, { userId: actor.id, action: `settings.${section}`, changes: { before, after: values } });
    await notify(tx, CHANNEL.settings, `${section}:${revision.version}`);
    return { saved: true, version: revision.version };
  });
  invalidate(db);
  return outcome;
}

/** Someone saved the section after this admin loaded the page. */
export class SettingsConflictError extends DomainError {
  constructor(revision: SectionRevision | undefined, timezone: string) {
    super('settings.conflict', {
      who: revision?.userName ?? '—',
      at: revision ? formatInZone(new Date(revision.at), timezone) : '—',
    });
    this.name = 'SettingsConflictError';
  }
}

/** 2026-12-06 10:15 in the service's zone: how the console states a time to staff. */
export function formatInZone(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

/**
 * Saves parts of the settings without a version check or audit line: for tests and seeding only
 * (the console saves through saveSettingsSection). Other instances hear of it like any save.
 */
export async function saveKfSettings(db: Db, params: { settings: Partial<KfSettings>; userId: number | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const stored = parseStored(await lockSetting(tx, { key: SETTINGS_KEY, empty: {} }));
    await putSetting(tx, { key: SETTINGS_KEY, value: { ...stored, ...params.settings }, userId: params.userId });
    await notify(tx, CHANNEL.settings, 'seed');
  });
  invalidate(db);
}
