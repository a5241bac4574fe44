// /settings — hours, keywords and reply texts. Admins edit; operators see the same page read-only.
import { PageHeader } from '@/components/page-header';
import { InlineNotice } from '@/components/ui/notice';
import { currentDatabase } from '@/db/client';
import { requireUser } from '@/lib/auth/session';
import type { Translate } from '@/lib/i18n/format';
import { getT } from '@/lib/i18n/server';
import { formatInZone, readSettingsView, type SettingsSection, type SettingsView } from '@/lib/kf/settings';
import { statutoryYears, statutoryYearsUnknown } from '@/lib/kf/statutory-holidays';
import { sampleResume } from '@/lib/kf/texts';
import { formatSchedule } from '@/lib/service-hours';
import { wallClock } from '@/lib/service-hours/clock';
import { saveHoursAction, saveKeywordsAction, saveTemplatesAction } from './actions';
import { HoursEditor } from './_components/hours-editor';
import { KeywordsEditor } from './_components/keywords-editor';
import { TemplatesEditor } from './_components/templates-editor';
import { titled } from '@/lib/i18n/metadata';

const SEED_SOURCE: Record<SettingsSection, 'settings.source.envHours' | 'settings.source.envKeywords' | 'settings.source.defaultTemplates'> = {
  hours: 'settings.source.envHours',
  keywords: 'settings.source.envKeywords',
  templates: 'settings.source.defaultTemplates',
};

function sourceText(view: SettingsView, section: SettingsSection, t: Translate): string {
  const { saved, revision } = view.sections[section];
  if (!saved) return t(SEED_SOURCE[section]);
  if (!revision) return t('settings.source.savedUnknown');
  return t('settings.source.saved', { who: revision.userName ?? '—', at: formatInZone(new Date(revision.at), view.settings.hours.timezone) });
}

export const generateMetadata = titled('nav.settings');

export default async function SettingsPage() {
  const user = await requireUser();
  const { t, locale } = await getT();
  const view = await readSettingsView(currentDatabase().db);
  const { settings } = view;
  const readOnly = user.role !== 'admin';
  const now = new Date();
  const today = new Date(wallClock(now.getTime(), settings.hours.timezone));
  const thisYear = today.getUTCFullYear();
  const samples = {
    keyword: settings.keywords[0] ?? '',
    hours: formatSchedule(settings.hours.weekly, 'zh'),
    resume: sampleResume(settings, now),
    position: '3',
    count: '5',
    agent: '小王',
    // Binding replies (issue 15's texts, when present).
    // After @ comes the account's WeChat ID, never its gh_ original ID (the Agents page says so too).
    kfAccount: 'kf2001@brand_oa',
    minutes: '10',
  };
  return (
    <>
      <PageHeader title={t('settings.title')} intro={t('settings.intro')} />
      {readOnly && (
        <InlineNotice tone="info" className="mb-6">
          {t('settings.readOnly')}
        </InlineNotice>
      )}
      <HoursEditor
        action={saveHoursAction}
        version={view.sections.hours.version}
        readOnly={readOnly}
        source={sourceText(view, 'hours', t)}
        initial={settings.hours}
        saved={{ keywords: settings.keywords, templates: settings.templates, waitMinutes: settings.waitMinutes, repeatPosition: settings.repeatPosition }}
        statutory={statutoryYears([thisYear, thisYear + 1], today.toISOString().slice(0, 10))}
        statutoryUnknown={statutoryYearsUnknown([thisYear, thisYear + 1])}
        timezones={Intl.supportedValuesOf('timeZone')}
        locale={locale}
      />
      <KeywordsEditor
        action={saveKeywordsAction}
        version={view.sections.keywords.version}
        readOnly={readOnly}
        source={sourceText(view, 'keywords', t)}
        initial={{ keywords: settings.keywords, waitMinutes: settings.waitMinutes, repeatPosition: settings.repeatPosition }}
        locale={locale}
      />
      <TemplatesEditor
        action={saveTemplatesAction}
        version={view.sections.templates.version}
        readOnly={readOnly}
        source={sourceText(view, 'templates', t)}
        initial={settings.templates}
        samples={samples}
        locale={locale}
      />
    </>
  );
}
