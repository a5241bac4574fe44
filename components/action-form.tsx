'use client';

import { useActionState, useId, type ReactNode } from 'react';
import type { FormState } from '@/lib/actions';

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

/** A small form bound to a server action, showing its result beside the button. */
export function ActionForm({
  action,
  submitLabel,
  children,
  className,
  buttonClassName,
}: {
  action: Action;
  submitLabel: string;
  children?: ReactNode;
  className?: string;
  buttonClassName?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' });
  const messageId = useId();
  return (
    <form action={formAction} className={className ?? 'flex flex-wrap items-center gap-2'} aria-describedby={messageId}>
      {children}
      <button
        type="submit"
        disabled={pending}
        className={
          buttonClassName ??
          'rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-60'
        }
      >
        {submitLabel}
      </button>
      <span id={messageId} role={state.status === 'error' ? 'alert' : 'status'} className="text-sm">
        {state.status === 'error' && <span className="text-red-700">{state.message}</span>}
        {state.status === 'success' && <span className="text-brand-700">{state.message}</span>}
      </span>
    </form>
  );
}
