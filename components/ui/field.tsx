'use client';
// A labelled control: label, help and error, wired to the control inside by id,
// aria-describedby and aria-invalid. The control (Input, Select, Textarea) reads them from context.
import { createContext, use, useId, type AriaAttributes, type ReactNode } from 'react';
import { useFieldError } from './form';
import { cx } from './styles';

interface FieldWiring {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
}

const FieldContext = createContext<FieldWiring | null>(null);

export interface FieldProps {
  label: ReactNode;
  /** The control's name; its error is taken from the enclosing action form unless `error` is given. */
  name?: string;
  help?: ReactNode;
  error?: string;
  id?: string;
  /** Keep the label for screen readers only, where the layout already says what the control is. */
  labelHidden?: boolean;
  className?: string;
  children: ReactNode;
}

export function Field({ label, name, help, error, id, labelHidden, className, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? generated;
  const formError = useFieldError(name);
  const shownError = error ?? formError;
  const helpId = help ? `${controlId}-help` : undefined;
  const errorId = shownError ? `${controlId}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={controlId} className={labelHidden ? 'sr-only' : 'mb-1 block text-sm font-medium text-slate-700'}>
        {label}
      </label>
      <FieldContext value={{ id: controlId, describedBy, invalid: Boolean(shownError) }}>{children}</FieldContext>
      {help && (
        <p id={helpId} className="mt-1 text-xs text-slate-500">
          {help}
        </p>
      )}
      {shownError && (
        <p id={errorId} className={cx('mt-1 text-xs font-medium text-red-700')}>
          {shownError}
        </p>
      )}
    </div>
  );
}

/** The id and aria attributes a control inside a Field takes; its own props win. */
export function useFieldControl(props: { id?: string } & Pick<AriaAttributes, 'aria-describedby' | 'aria-invalid'>) {
  const field = use(FieldContext);
  return {
    id: props.id ?? field?.id,
    'aria-describedby': props['aria-describedby'] ?? field?.describedBy,
    'aria-invalid': props['aria-invalid'] ?? (field?.invalid ? true : undefined),
  };
}
