'use client';
// Keywords that ask for an agent (one per field, add/remove), and how long a follower waits in line.
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { useFocusAdded } from '@/components/ui/focus-added';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { translator, type Locale } from '@/lib/i18n/format';
import { SectionForm } from './section-form';

export function KeywordsEditor({
  action,
  version,
  readOnly,
  source,
  initial,
  locale,
}: {
  action: FormAction;
  version: number;
  readOnly: boolean;
  source: string;
  initial: { keywords: string[]; waitMinutes: number; repeatPosition: boolean };
  locale: Locale;
}) {
  const t = translator(locale);
  const [keywords, setKeywords] = useState(initial.keywords);
  const added = useFocusAdded<HTMLUListElement>(keywords.length);
  const [waitMinutes, setWaitMinutes] = useState(String(initial.waitMinutes));
  const [repeatPosition, setRepeatPosition] = useState(initial.repeatPosition);
  return (
    <SectionForm id="keywords" title={t('settings.keywords.title')} source={source} action={action} version={version} readOnly={readOnly} submitLabel={t('settings.keywords.save')} leaveWarning={t('settings.leaveUnsaved')} shortcutHint={t('settings.saveShortcut')}>
      {() => (
        <>
          <fieldset className="min-w-0">
            <legend className="mb-1 text-sm font-medium text-slate-700">{t('settings.keywords.list')}</legend>
            <p className="mb-3 text-xs text-slate-500">{t('settings.keywords.help')}</p>
            <ul ref={added.container} className="flex flex-wrap gap-3">
              {keywords.map((keyword, i) => (
                <li key={i} className="flex items-start gap-1">
                  <Field label={t('settings.keywords.one', { n: i + 1 })} name={`keywords.${i}`} labelHidden className="w-36">
                    <Input name={`keywords.${i}`} value={keyword} controlSize="sm" onChange={(e) => setKeywords((ks) => ks.map((k, j) => (j === i ? e.target.value : k)))} />
                  </Field>
                  <Button size="sm" variant="ghost" aria-label={t('settings.keywords.remove', { keyword })} onClick={() => setKeywords((ks) => ks.filter((_, j) => j !== i))} disabled={keywords.length === 1}>
                    ×
                  </Button>
                </li>
              ))}
            </ul>
            <Button size="sm" className="mt-3" onClick={() => {
                added.focusAfterAdd(`input[name="keywords.${keywords.length}"]`);
                setKeywords((ks) => [...ks, '']);
              }} disabled={keywords.length >= 20}>
              {t('settings.keywords.add')}
            </Button>
          </fieldset>
          <Field label={t('settings.keywords.waitMinutes')} name="waitMinutes" help={t('settings.keywords.waitHelp')} className="max-w-xs">
            <Input name="waitMinutes" value={waitMinutes} onChange={(e) => setWaitMinutes(e.target.value)} inputMode="numeric" className="max-w-28" />
          </Field>
          <Checkbox
            name="repeatPosition"
            label={t('settings.keywords.repeatPosition')}
            help={t('settings.keywords.repeatHelp')}
            checked={repeatPosition}
            onChange={(e) => setRepeatPosition(e.target.checked)}
          />
        </>
      )}
    </SectionForm>
  );
}
