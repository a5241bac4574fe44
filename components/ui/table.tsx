// Tables for console lists. On a phone (below md) a `stack` table shows each row as a card, each
// cell under its column's name (Td's label); a `scroll` table keeps its columns and scrolls sideways
// in a focusable region. Both stay real tables for screen readers at every width.
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes, HTMLAttributes } from 'react';
import { cx, focusRing } from './styles';

const stacked = cx(
  'max-md:block max-md:[&_tbody]:block max-md:[&_tbody]:space-y-3',
  'max-md:[&_thead]:sr-only',
  'max-md:[&_tr]:block max-md:[&_tr]:rounded-xl max-md:[&_tr]:border max-md:[&_tr]:border-slate-200 max-md:[&_tr]:bg-white max-md:[&_tr]:p-3 max-md:[&_tr]:shadow-sm',
  'max-md:[&_td]:flex max-md:[&_td]:gap-3 max-md:[&_td]:border-0 max-md:[&_td]:px-0 max-md:[&_td]:py-1.5',
  // The label wraps within its width: a cell's own nowrap (a time) must not push it over the value.
  'max-md:[&_td]:before:w-20 max-md:[&_td]:before:shrink-0 max-md:[&_td]:before:whitespace-normal max-md:[&_td]:before:text-xs max-md:[&_td]:before:leading-5 max-md:[&_td]:before:text-slate-500',
  'max-md:[&_td]:before:content-[attr(data-label)]',
);

export function Table({
  label,
  layout = 'stack',
  className,
  children,
}: {
  /** Names the table (its caption, read by screen readers). */
  label: string;
  layout?: 'stack' | 'scroll';
  className?: string;
  children: ReactNode;
}) {
  const table = (
    <table className={cx('w-full border-collapse text-left text-sm', layout === 'stack' && stacked, className)}>
      <caption className="sr-only">{label}</caption>
      {children}
    </table>
  );
  if (layout === 'stack') {
    return <div className="md:overflow-hidden md:rounded-xl md:border md:border-slate-200 md:bg-white md:shadow-sm">{table}</div>;
  }
  return (
    // Focusable, so a keyboard can scroll it; named, so that focus means something.
    <div role="region" aria-label={label} tabIndex={0} className={cx('overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm', focusRing)}>
      {table}
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx('align-top', className)} {...props} />;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cx('px-4 py-2.5 font-medium whitespace-nowrap', className)} {...props} />;
}

/** A cell; `label` is its column's name, shown before it when a stack table is a card. */
export function Td({ label, className, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { label?: string }) {
  return <td data-label={label} className={cx('px-4 py-3', className)} {...props} />;
}
