'use server';
// Saving the settings, one section at a time. Admins only, re-checked on the server; a save names
// the version it was edited from and is refused when someone saved since (lib/kf/settings.ts).
import { revalidatePath } from 'next/cache';
import { currentDatabase } from '@/db/client';
import { adminAction } from '@/lib/actions';
import { loadKfSettings, saveSettingsSection } from '@/lib/kf/settings';
import { hoursFormSchema, keywordsFormSchema, templatesFormSchema } from './schemas';

export const saveHoursAction = adminAction(hoursFormSchema, async ({ version, hours }, { user, t }) => {
  const outcome = await saveSettingsSection(currentDatabase().db, { section: 'hours', values: { hours }, expectedVersion: version, actor: user });
  revalidatePath('/settings');
  return t(outcome.saved ? 'settings.saved' : 'settings.unchanged');
});

export const saveKeywordsAction = adminAction(keywordsFormSchema, async ({ version, ...values }, { user, t }) => {
  const outcome = await saveSettingsSection(currentDatabase().db, { section: 'keywords', values, expectedVersion: version, actor: user });
  revalidatePath('/settings');
  return t(outcome.saved ? 'settings.saved' : 'settings.unchanged');
});

export const saveTemplatesAction = adminAction(templatesFormSchema, async ({ version, templates: sent }, { user, t }) => {
  const database = currentDatabase();
  // A text the form did not send (its page predates the text) keeps the value in force.
  const templates = { ...(await loadKfSettings(database)).templates, ...sent };
  const outcome = await saveSettingsSection(database.db, { section: 'templates', values: { templates }, expectedVersion: version, actor: user });
  revalidatePath('/settings');
  return t(outcome.saved ? 'settings.saved' : 'settings.unchanged');
});
