import type { ReactNode } from 'react';
import type { FormState } from '@/lib/forms/form-state';
import { cx } from './styles';

export type NoticeTone = 'success' | 'error' | 'info' | 'warning';

const tones: Record<NoticeTone, string> = {
  success: 'border-brand-100 bg-brand-50 text-brand-700',
  error: 'border-red-200 bg-red-50 text-red-800',
  info: 'border-sky-200 bg-sky-50 text-sky-900',
  warning: 'border-amber-200 bg-amber-50 text-amber-900',
};
const compactTones: Record<NoticeTone, string> = {
  success: 'text-brand-700',
  error: 'text-red-700',
  info: 'text-slate-600',
  warning: 'text-amber-800',
};

/** A message in the page's flow: an error is an alert (read out at once), the rest a status. */
export function InlineNotice({
  tone,
  compact = false,
  className,
  children,
}: {
  tone: NoticeTone;
  /** Plain coloured text, for beside a small button. */
  compact?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx('text-sm', compact ? compactTones[tone] : cx('rounded-md border px-3 py-2', tones[tone]), className)}>
      {children}
    </div>
  );
}

/**
 * An action form's result. The live region is always there, empty until there is a result, so
 * screen readers announce the message when it appears.
 */
export function FormNotice({
  state,
  compact = false,
  id,
  className,
}: {
  state: FormState;
  compact?: boolean;
  id?: string;
  className?: string;
}) {
  const tone: NoticeTone = state.status === 'error' ? 'error' : 'success';
  const text = state.status === 'idle' ? undefined : state.message;
  return (
    <div id={id} role={tone === 'error' ? 'alert' : 'status'} className={cx('text-sm', className)}>
      {text && <p className={compact ? compactTones[tone] : cx('rounded-md border px-3 py-2', tones[tone])}>{text}</p>}
    </div>
  );
}
