'use client';

import { useFormAction } from '@/components/ui/form';
import type { FormState } from '@/lib/actions';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';
type Labels = Record<Field | 'submit' | 'newPasswordHelp', string>;

const fields: { name: Field; autoComplete: string }[] = [
  { name: 'currentPassword', autoComplete: 'current-password' },
  { name: 'newPassword', autoComplete: 'new-password' },
  { name: 'confirmPassword', autoComplete: 'new-password' },
];

const inputClass =
  'w-full rounded-md border border-slate-300 px-3 py-2 text-base focus:border-brand-600 focus:ring-2 focus:ring-brand-100 focus:outline-none sm:text-sm';

export function ChangePasswordForm({
  action,
  labels,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  labels: Labels;
}) {
  // The console's form hook (never keeping a field: these are passwords): focus after a result, and sign-in when signed out.
  const [state, formAction, pending] = useFormAction(action);
  const errorId = (name: string) => `account-${name}-error`;
  const helpId = 'account-newPassword-help';
  return (
    // React empties the fields after every submit, so a typed password never lingers or comes back.
    // noValidate: the server's messages are in the console's language, the browser's bubbles not.
    <form action={formAction} noValidate className="max-w-sm space-y-4">
      {fields.map(({ name, autoComplete }) => (
        <div key={name}>
          <label htmlFor={`account-${name}`} className="mb-1 block text-sm font-medium text-slate-700">
            {labels[name]}
          </label>
          <input
            id={`account-${name}`}
            name={name}
            type="password"
            autoComplete={autoComplete}
            required
            aria-invalid={state.fieldErrors?.[name] ? true : undefined}
            aria-describedby={[name === 'newPassword' ? helpId : undefined, state.fieldErrors?.[name] ? errorId(name) : undefined].filter(Boolean).join(' ') || undefined}
            className={inputClass}
          />
          {/* The rules up front, as on the Staff page, not only once refused. */}
          {name === 'newPassword' && (
            <p id={helpId} className="mt-1 text-xs text-slate-500">
              {labels.newPasswordHelp}
            </p>
          )}
          {state.fieldErrors?.[name] && (
            <p id={errorId(name)} className="mt-1 text-xs text-red-700">
              {state.fieldErrors[name]}
            </p>
          )}
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:brightness-90 disabled:opacity-60"
        >
          {labels.submit}
        </button>
        <p role={state.status === 'error' ? 'alert' : 'status'} className={state.status === 'error' ? 'text-sm text-red-700' : 'text-sm text-brand-700'}>
          {state.status !== 'idle' ? state.message : null}
        </p>
      </div>
    </form>
  );
}
