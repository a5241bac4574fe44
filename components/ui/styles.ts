// Class strings every primitive shares, so focus, error and disabled look the same everywhere.
// brand-700 (not 600) carries white text and outlines: brand-600 on white is below 4.5:1.

/** Joins class names, skipping the falsy ones. No merging: pass layout (width, margin) in className. */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}

/** The keyboard focus ring of buttons, tabs and links. */
export const focusRing = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700';

export type ControlSize = 'sm' | 'md';
export const controlSizes: Record<ControlSize, string> = { sm: 'px-2 py-1', md: 'px-3 py-2' };

/** Text inputs, selects and text areas (plus a controlSizes entry); aria-invalid (set by Field) turns the border red. */
export const controlClass = cx(
  'block w-full rounded-md border border-slate-300 bg-white text-sm text-slate-900 shadow-xs',
  'placeholder:text-slate-400',
  'focus:border-brand-700 focus:outline-2 focus:outline-offset-0 focus:outline-brand-700/25',
  'aria-invalid:border-red-700 aria-invalid:focus:outline-red-700/25',
  'disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500',
);
