import { setLocaleAction } from '@/app/locale-actions';
import type { Locale } from '@/lib/i18n/format';

const names: Record<Locale, string> = { zh: '中文', en: 'English' };

/** Two small buttons; the current language is marked, the other switches. */
export function LocaleSwitch({ locale, label }: { locale: Locale; label: string }) {
  return (
    <form action={setLocaleAction} className="flex items-center gap-1 text-sm" aria-label={label}>
      {(Object.keys(names) as Locale[]).map((l) => (
        <button
          key={l}
          name="locale"
          value={l}
          aria-pressed={l === locale}
          className={
            l === locale
              ? 'rounded px-2 py-1 font-medium text-slate-900 bg-slate-200'
              : 'rounded px-2 py-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900'
          }
        >
          {names[l]}
        </button>
      ))}
    </form>
  );
}
