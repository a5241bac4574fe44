// A settings save's before → after, one readable line per changed value.
import type { AuditChanges } from '@/db/queries/audit-log';
import { settingsDiff, type DiffLine } from '@/lib/audit/diff';
import { isMessageKey, type MessageKey, type Translate } from '@/lib/i18n/format';

const PART_KEYS: Record<string, MessageKey> = {
  timezone: 'settings.hours.timezone',
  holidays: 'settings.hours.holidays',
  extraWorkdays: 'settings.hours.extraWorkdays',
  keywords: 'settings.keywords.list',
  waitMinutes: 'settings.keywords.waitMinutes',
  repeatPosition: 'settings.keywords.repeatPosition',
  remark: 'session.remark',
};

/** "Monday", "Extra working dates 2026-10-10", "Reply text: Off-hours". */
export function diffLabel(line: DiffLine, t: Translate): string {
  return line.path
    .filter((part) => part !== 'hours' && part !== 'weekly' && part !== 'templates')
    .map((part) => {
      for (const key of [`settings.day.${part}`, `settings.template.${part}.label`]) if (isMessageKey(key)) return t(key as MessageKey);
      return PART_KEYS[part] ? t(PART_KEYS[part]) : part;
    })
    .join(' · ');
}

export function Changes({ changes, t }: { changes: AuditChanges; t: Translate }) {
  const lines = settingsDiff(changes.before, changes.after);
  if (lines.length === 0) return null;
  return (
    <ul className="mt-1 space-y-1 text-xs" data-testid="audit-diff">
      {lines.map((line) => (
        <li key={line.path.join('.')} className="break-words">
          <span className="font-medium text-slate-700">{diffLabel(line, t)}</span>
          {': '}
          <del className="bg-red-50 text-red-800 decoration-red-400">{line.before ?? '∅'}</del>
          {' → '}
          <ins className="bg-brand-50 text-brand-700 no-underline">{line.after ?? '∅'}</ins>
        </li>
      ))}
    </ul>
  );
}
