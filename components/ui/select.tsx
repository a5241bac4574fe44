'use client';

import type { SelectHTMLAttributes } from 'react';
import { useFieldControl } from './field';
import { useKeptValue } from './form';
import { controlClass, controlSizes, cx, type ControlSize } from './styles';

export function Select({
  className,
  defaultValue,
  controlSize = 'md',
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { controlSize?: ControlSize }) {
  const wiring = useFieldControl(props);
  const kept = useKeptValue(props.name);
  const initial = kept ?? defaultValue;
  return (
    // React applies a select's defaultValue only when it mounts, so a kept value remounts it.
    <select
      key={kept === undefined ? 'default' : `kept:${kept}`}
      {...props}
      {...wiring}
      defaultValue={initial}
      className={cx(controlClass, controlSizes[controlSize], className)}
    >
      {children}
    </select>
  );
}
