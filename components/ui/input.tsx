'use client';

import type { InputHTMLAttributes } from 'react';
import { useFieldControl } from './field';
import { useKeptValue } from './form';
import { controlClass, controlSizes, cx, type ControlSize } from './styles';

export type InputProps = InputHTMLAttributes<HTMLInputElement> & { controlSize?: ControlSize };

/** A text-like input; inside a Field it is labelled and described, inside an action form it keeps its value after an error. */
export function Input({ className, defaultValue, controlSize = 'md', ...props }: InputProps) {
  const wiring = useFieldControl(props);
  // A password is never kept, whatever the form lists.
  const kept = useKeptValue(props.type === 'password' ? undefined : props.name);
  // What was typed wins over the initial value, as in Select and Checkbox: a refused edit comes back as typed.
  return <input {...props} {...wiring} defaultValue={kept ?? defaultValue} className={cx(controlClass, controlSizes[controlSize], className)} />;
}
