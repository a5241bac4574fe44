import type { ReactNode } from 'react';
import { cx } from './styles';

export type BadgeTone = 'neutral' | 'brand' | 'success' | 'warning' | 'danger' | 'info';

const tones: Record<BadgeTone, string> = {
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
  brand: 'bg-brand-50 text-brand-700 ring-brand-100',
  success: 'bg-brand-50 text-brand-700 ring-brand-100',
  warning: 'bg-amber-50 text-amber-800 ring-amber-200',
  danger: 'bg-red-50 text-red-700 ring-red-200',
  info: 'bg-sky-50 text-sky-800 ring-sky-200',
};

/**
 * A short label for a state (在线, 已停用); the words carry the meaning, the colour only helps. `wrap`
 * lets a longer one (a reason) break over lines where it would not fit, as in a phone's card.
 */
export function Badge({ tone = 'neutral', wrap = false, className, children }: { tone?: BadgeTone; wrap?: boolean; className?: string; children: ReactNode }) {
  return (
    <span
      className={cx(
        'inline-flex items-center px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        wrap ? 'rounded-lg whitespace-normal' : 'rounded-full whitespace-nowrap',
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
