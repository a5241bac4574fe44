'use client';
// Every reply text: its variables (click to insert), a live preview with sample values, the unknown
// variables refused as you type (the server refuses them again), a length counter against WeChat's
// limits, and reset to the default.
import { useRef, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { cx } from '@/components/ui/styles';
import { isMessageKey, translator, type Locale, type MessageKey } from '@/lib/i18n/format';
import { textLimitOf, utf8Bytes } from '@/lib/kf/text-limits';
import { DEFAULT_TEMPLATES, MAX_TEMPLATE_LENGTH, renderTemplate, templateProblem, TEMPLATE_VARIABLES, validateTemplate, type TemplateName } from '@/lib/kf/templates';
import { SectionForm } from './section-form';

export function TemplatesEditor({
  action,
  version,
  readOnly,
  source,
  initial,
  samples,
  locale,
}: {
  action: FormAction;
  version: number;
  readOnly: boolean;
  source: string;
  initial: Record<TemplateName, string>;
  samples: Record<string, string>;
  locale: Locale;
}) {
  const t = translator(locale);
  const [texts, setTexts] = useState(initial);
  const names = Object.keys(DEFAULT_TEMPLATES) as TemplateName[];
  return (
    <SectionForm id="templates" title={t('settings.templates.title')} source={source} action={action} version={version} readOnly={readOnly} submitLabel={t('settings.templates.save')} leaveWarning={t('settings.leaveUnsaved')} shortcutHint={t('settings.saveShortcut')}>
      {() => (
        <ul className="space-y-6">
          {names.map((name) => (
            <TemplateField
              key={name}
              name={name}
              value={texts[name] ?? ''}
              samples={samples}
              locale={locale}
              readOnly={readOnly}
              onChange={(value) => setTexts((all) => ({ ...all, [name]: value }))}
            />
          ))}
        </ul>
      )}
    </SectionForm>
  );
}

/** A template's label from the catalog, or its own name for a template this page does not know yet. */
function templateLabel(name: string, locale: Locale, part: 'label' | 'when'): string {
  const key = `settings.template.${name}.${part}`;
  return isMessageKey(key) ? translator(locale)(key as MessageKey) : part === 'label' ? name : '';
}

function TemplateField({
  name,
  value,
  samples,
  locale,
  readOnly,
  onChange,
}: {
  name: TemplateName;
  value: string;
  samples: Record<string, string>;
  locale: Locale;
  readOnly: boolean;
  onChange: (value: string) => void;
}) {
  const t = translator(locale);
  // What the box holds now, saved or not: a text only saved when it differs from the default
  // (lib/kf/settings.ts keeps edited texts alone), so after a save this is what is stored.
  const customized = value !== DEFAULT_TEMPLATES[name];
  // Textarea does not forward a ref; its wrapper finds it.
  const wrapper = useRef<HTMLDivElement>(null);
  const variables = TEMPLATE_VARIABLES[name] ?? [];
  const check = validateTemplate(name, value);
  // Said while typing only for what the text itself gets wrong (not for an empty or long one mid-edit).
  const problem = !check.ok && (check.reason === 'unknown_variables' || check.reason === 'unclosed_variables') ? templateProblem(check) : undefined;
  const liveError = problem ? t(problem.code, problem.params) : undefined;
  const rendered = renderTemplate(value, samples);
  const limit = textLimitOf(name);
  const used = limit.unit === 'bytes' ? utf8Bytes(rendered) : [...rendered].length;
  const near = used >= limit.max * 0.9;
  // What can be saved is counted on the text as written, apart from WeChat's limit on it as sent.
  const written = [...value].length;
  const overWritten = written > MAX_TEMPLATE_LENGTH;

  const insert = (variable: string) => {
    const area = wrapper.current?.querySelector('textarea');
    const token = `{${variable}}`;
    const at = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? at;
    onChange(value.slice(0, at) + token + value.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + token.length, at + token.length);
    });
  };

  return (
    <li className="grid gap-3 border-b border-slate-100 pb-6 lg:grid-cols-2" data-testid={`template-${name}`}>
      <div className="min-w-0" ref={wrapper}>
        <Field
          label={
            <span className="flex flex-wrap items-center gap-2">
              {templateLabel(name, locale, 'label')}
              <Badge tone={customized ? 'brand' : 'neutral'}>{t(customized ? 'settings.templates.custom' : 'settings.templates.default')}</Badge>
            </span>
          }
          name={`templates.${name}`}
          help={templateLabel(name, locale, 'when')}
          error={liveError}
        >
          <Textarea name={`templates.${name}`} value={value} onChange={(e) => onChange(e.target.value)} rows={3} />
        </Field>
        <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs">
          {/* A text without variables (the binding code's refusal, say) has no such line to show. */}
          {variables.length > 0 && <span className="text-slate-600">{t('settings.templates.variables')}</span>}
          {variables.map((v) => (
            <Button key={v} size="sm" variant="ghost" className="font-mono text-xs text-brand-700" onClick={() => insert(v)} disabled={readOnly} aria-label={t('settings.templates.insert', { variable: `{${v}}` })}>
              {`{${v}}`}
            </Button>
          ))}
          {!readOnly && customized && (
            <Button size="sm" variant="ghost" onClick={() => onChange(DEFAULT_TEMPLATES[name])}>
              {t('settings.templates.reset')}
            </Button>
          )}
        </div>
      </div>
      <div className="min-w-0">
        <p className="mb-1 text-sm font-medium text-slate-700">{t('settings.templates.preview')}</p>
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm whitespace-pre-wrap break-words" data-testid={`template-${name}-preview`}>
          {rendered}
        </p>
        <p
          className={cx('mt-1 text-xs', overWritten ? 'font-medium text-red-700' : near ? 'font-medium text-amber-800' : 'text-slate-500')}
          data-testid={`template-${name}-count`}
        >
          {t('settings.templates.written', { used: written, max: MAX_TEMPLATE_LENGTH })}
          {' · '}
          {t(limit.unit === 'bytes' ? 'settings.templates.bytes' : 'settings.templates.chars', { used, max: limit.max })}
          {near && ` · ${t('settings.templates.nearLimit')}`}
        </p>
      </div>
    </li>
  );
}
