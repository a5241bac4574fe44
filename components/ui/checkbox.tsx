'use client';

import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useFieldError, useKeptChecked } from './form';
import { cx } from './styles';

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: ReactNode;
  help?: ReactNode;
  error?: string;
}

/** A checkbox with its label beside it; unticked, the form sends nothing (see checkbox() in lib/forms/fields.ts). */
export function Checkbox({ label, help, error, id, className, defaultChecked, ...props }: CheckboxProps) {
  const generated = useId();
  const boxId = id ?? generated;
  const formError = useFieldError(props.name);
  const shownError = error ?? formError;
  const keptChecked = useKeptChecked(props.name);
  const helpId = help ? `${boxId}-help` : undefined;
  const errorId = shownError ? `${boxId}-error` : undefined;
  return (
    <div className={cx('flex items-start gap-2', className)}>
      <input
        // Like a select, a checkbox takes its default only when it mounts.
        key={keptChecked === undefined ? 'default' : `kept:${keptChecked}`}
        type="checkbox"
        id={boxId}
        aria-describedby={[helpId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={shownError ? true : undefined}
        className={cx(
          'mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-brand-700',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700',
          'disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:outline-2 aria-invalid:outline-red-700',
        )}
        {...props}
        defaultChecked={keptChecked ?? defaultChecked}
      />
      <div className="text-sm">
        <label htmlFor={boxId} className="font-medium text-slate-800">
          {label}
        </label>
        {help && (
          <p id={helpId} className="text-xs text-slate-500">
            {help}
          </p>
        )}
        {shownError && (
          <p id={errorId} className="text-xs font-medium text-red-700">
            {shownError}
          </p>
        )}
      </div>
    </div>
  );
}
