'use client';
// Tabs per the WAI-ARIA pattern: one tab stop for the whole row, arrows move between tabs and
// select the one they land on, the panel follows in tab order.
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { rovingTarget } from './roving';
import { cx, focusRing } from './styles';

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export function Tabs({ label, items, defaultTab, className }: { label: string; items: TabItem[]; defaultTab?: string; className?: string }) {
  const [selected, setSelected] = useState(defaultTab ?? items[0]?.id);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();
  const current = Math.max(
    0,
    items.findIndex((item) => item.id === selected),
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const next = rovingTarget(event.key, current, items.length);
    if (next === undefined) return;
    event.preventDefault();
    setSelected(items[next]!.id);
    tabs.current[next]?.focus();
  }

  return (
    <div className={className}>
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex flex-wrap gap-x-1 border-b border-slate-200">
        {items.map((item, i) => {
          const active = i === current;
          return (
            <button
              key={item.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${item.id}`}
              aria-selected={active}
              aria-controls={`${base}-panel-${item.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => setSelected(item.id)}
              className={cx(
                '-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap',
                active ? 'border-brand-700 text-brand-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900',
                focusRing,
              )}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      {items.map((item, i) => (
        <div
          key={item.id}
          role="tabpanel"
          id={`${base}-panel-${item.id}`}
          aria-labelledby={`${base}-tab-${item.id}`}
          tabIndex={0}
          hidden={i !== current}
          className={cx('pt-4', focusRing)}
        >
          {item.content}
        </div>
      ))}
    </div>
  );
}
