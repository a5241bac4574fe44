'use client';
// After an "Add" button adds a row, a keyboard user expects to type into it: focus moves to the new
// row's field once it is drawn, instead of staying on the button.
import { useEffect, useRef } from 'react';

export function useFocusAdded<E extends HTMLElement>(count: number) {
  const container = useRef<E>(null);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (pending.current === null) return;
    container.current?.querySelector<HTMLElement>(pending.current)?.focus();
    pending.current = null;
  }, [count]);
  return {
    container,
    /** Call with the new field's selector (`input[name="keywords.3"]`) as the row is added. */
    focusAfterAdd: (selector: string) => {
      pending.current = selector;
    },
  };
}
