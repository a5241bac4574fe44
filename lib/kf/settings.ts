// Customer-service settings: keywords, service hours, wait expiry and reply texts. Stored in the
// settings table (edited in the console), seeded from env. Read on every push, so cached briefly:
// an edit reaches every instance within CACHE_MS.
import 'server-only';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { getSetting, putSetting } from '@/db/queries/settings';
import { env } from '@/lib/env';
import { DEFAULT_TEMPLATES, type TemplateName } from './templates';
import { defaultServiceHours, serviceHoursSchema, type ServiceHours } from '@/lib/service-hours';

export interface KfSettings {
  keywords: string[];
  hours: ServiceHours;
  waitMinutes: number;
  templates: Record<TemplateName, string>;
}

const SETTINGS_KEY = 'kf';
const CACHE_MS = 2000;

// What the database may hold: any subset; missing parts fall back to the env seed.
const storedSchema = z
  .object({
    keywords: z.array(z.string().min(1)).min(1),
    hours: serviceHoursSchema,
    waitMinutes: z.number().int().min(1).max(24 * 60),
    templates: z.record(z.string(), z.string()),
  })
  .partial();

export function seedSettings(): KfSettings {
  const e = env();
  return {
    keywords: e.KF_KEYWORDS,
    hours: defaultServiceHours(e.SERVICE_HOURS, e.SERVICE_TIMEZONE),
    waitMinutes: e.QUEUE_WAIT_MINUTES,
    templates: { ...DEFAULT_TEMPLATES },
  };
}

function merge(seed: KfSettings, stored: unknown): KfSettings {
  const parsed = storedSchema.safeParse(stored ?? {});
  if (!parsed.success) return seed;
  const s = parsed.data;
  const templates = { ...seed.templates };
  for (const name of Object.keys(templates) as TemplateName[]) {
    const text = s.templates?.[name];
    if (text) templates[name] = text;
  }
  return {
    keywords: s.keywords ?? seed.keywords,
    hours: s.hours ?? seed.hours,
    waitMinutes: s.waitMinutes ?? seed.waitMinutes,
    templates,
  };
}

let cache: { value: KfSettings; at: number } | undefined;

export async function loadKfSettings(db: DbOrTx, now = Date.now()): Promise<KfSettings> {
  if (cache && now - cache.at < CACHE_MS) return cache.value;
  const value = merge(seedSettings(), await getSetting(db, { key: SETTINGS_KEY }));
  cache = { value, at: now };
  return value;
}

export async function saveKfSettings(db: DbOrTx, params: { settings: Partial<KfSettings>; userId: number | null }): Promise<void> {
  const current = storedSchema.safeParse((await getSetting(db, { key: SETTINGS_KEY })) ?? {});
  const next = { ...(current.success ? current.data : {}), ...params.settings };
  await putSetting(db, { key: SETTINGS_KEY, value: next, userId: params.userId });
  cache = undefined;
}

/** Tests change settings between cases. */
export function forgetCachedSettings(): void {
  cache = undefined;
}
