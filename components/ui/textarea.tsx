'use client';

import type { TextareaHTMLAttributes } from 'react';
import { useFieldControl } from './field';
import { useKeptValue } from './form';
import { controlClass, controlSizes, cx, type ControlSize } from './styles';

export function Textarea({
  className,
  defaultValue,
  rows = 4,
  controlSize = 'md',
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { controlSize?: ControlSize }) {
  const wiring = useFieldControl(props);
  const kept = useKeptValue(props.name);
  return <textarea rows={rows} {...props} {...wiring} defaultValue={kept ?? defaultValue} className={cx(controlClass, controlSizes[controlSize], className)} />;
}
