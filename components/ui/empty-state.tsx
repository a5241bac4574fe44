import type { ReactNode } from 'react';
import { cx } from './styles';

/** What a list says when it has nothing yet, and what to do about it. */
export function EmptyState({ title, children, action, className }: { title: string; children?: ReactNode; action?: ReactNode; className?: string }) {
  return (
    <div className={cx('rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center', className)}>
      <p className="text-sm font-medium text-slate-900">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-md text-sm text-slate-500">{children}</div>}
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}
