'use client';

import { useActionState } from 'react';
import type { FormState } from '@/lib/actions';

type Labels = Record<'email' | 'name' | 'role' | 'password' | 'submit' | 'admin' | 'operator', string>;

const inputClass =
  'w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-100 focus:outline-none';

export function AddUserForm({
  action,
  labels,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  labels: Labels;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' });
  const fieldError = (name: string) =>
    state.fieldErrors?.[name] ? (
      <p id={`add-${name}-error`} className="mt-1 text-xs text-red-700">
        {state.fieldErrors[name]}
      </p>
    ) : null;
  const describedBy = (name: string) => (state.fieldErrors?.[name] ? `add-${name}-error` : undefined);
  return (
    // key resets the fields after a success, so a typed password never lingers in the form.
    <form key={state.status === 'success' ? state.message : 'form'} action={formAction} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-start">
      <div>
        <label htmlFor="add-email" className="mb-1 block text-xs font-medium text-slate-600">{labels.email}</label>
        <input id="add-email" name="email" type="email" required className={inputClass} aria-describedby={describedBy('email')} />
        {fieldError('email')}
      </div>
      <div>
        <label htmlFor="add-name" className="mb-1 block text-xs font-medium text-slate-600">{labels.name}</label>
        <input id="add-name" name="name" required className={inputClass} aria-describedby={describedBy('name')} />
        {fieldError('name')}
      </div>
      <div>
        <label htmlFor="add-role" className="mb-1 block text-xs font-medium text-slate-600">{labels.role}</label>
        <select id="add-role" name="role" defaultValue="operator" className={inputClass}>
          <option value="operator">{labels.operator}</option>
          <option value="admin">{labels.admin}</option>
        </select>
      </div>
      <div>
        <label htmlFor="add-password" className="mb-1 block text-xs font-medium text-slate-600">{labels.password}</label>
        <input id="add-password" name="password" type="password" autoComplete="new-password" required className={inputClass} aria-describedby={describedBy('password')} />
        {fieldError('password')}
      </div>
      <div className="flex flex-col gap-1 lg:pt-5">
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {labels.submit}
        </button>
        <p role={state.status === 'error' ? 'alert' : 'status'} className={state.status === 'error' ? 'text-sm text-red-700' : 'text-sm text-brand-700'}>
          {state.status !== 'idle' ? state.message : null}
        </p>
      </div>
    </form>
  );
}
