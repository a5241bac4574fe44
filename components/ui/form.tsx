'use client';
// A form bound to a server action (lib/actions.ts) shares its last result with the fields inside:
// Field shows the error for its name, and Input, Select and Textarea start from the value that was
// kept after a failed submit. React resets a form after every action, so without this a refused
// form would come back empty. Only the names in `keep` are kept: never list a password.
import { createContext, use, useActionState, useEffect, useRef, type ReactNode } from 'react';
import type { FormState } from '@/lib/forms/form-state';
import { formDataToObject, pickFields, type FormNode, type FormObject } from '@/lib/forms/form-data';
import { loginPathFor } from '@/lib/auth/next-path';
import { oversizedFiles, type FileLimits } from '@/lib/forms/file-limits';

export type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;

/** The action's result, plus what the browser keeps of the submitted fields (never sent back). */
export interface FormResult extends FormState {
  values?: FormObject;
  /** The names that were kept; a kept checkbox missing from values was unticked. */
  kept?: readonly string[];
}

const idle: FormResult = { status: 'idle' };

function keptValues(formData: FormData, keep: readonly string[]): FormObject {
  try {
    return pickFields(formDataToObject(formData), keep);
  } catch {
    return {};
  }
}

// Said in the browser, which cannot reach the server's catalogs when the server is what failed; in
// the page's language (the root layout's lang).
const UNREACHABLE = {
  zh: '无法连接服务器，操作未执行：请检查网络后重试。',
  en: 'The server could not be reached, so nothing was done: check your connection and try again.',
};

function unreachable(): FormState {
  return { status: 'error', message: document.documentElement.lang.startsWith('zh') ? UNREACHABLE.zh : UNREACHABLE.en };
}

/**
 * useActionState for a form action, keeping the `keep` fields in the browser after an error. A call
 * that never reached the server (offline, the server down: fetch's TypeError) is an error beside the
 * form, not a thrown one: thrown, it would replace the whole page with its error screen. Files over
 * their field's limit in `fileLimits` are refused here, without calling the server (file-limits.ts).
 */
export function useFormAction(
  action: FormAction,
  {
    keep = [],
    onSuccess,
    onRefused,
    fileLimits = {},
  }: { keep?: readonly string[]; onSuccess?: (result: FormState) => void; onRefused?: (result: FormState) => void; fileLimits?: FileLimits } = {},
) {
  const submittedFrom = useRef<HTMLElement | null>(null);
  const state = useActionState<FormResult, FormData>(async (previous, formData) => {
    // What had focus when the form was sent (its button, or a field Enter was pressed in): the
    // button is disabled while the action runs, which drops focus to the document.
    submittedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let result: FormState;
    const tooLarge = oversizedFiles(formData, fileLimits);
    try {
      result = tooLarge ? { status: 'error', fieldErrors: tooLarge } : await action(previous, formData);
    } catch (error) {
      if (!(error instanceof TypeError) && navigator.onLine) throw error;
      result = unreachable();
    }
    // Signed out meanwhile: on to sign-in, and back to this page after.
    if (result.signedOut) window.location.assign(loginPathFor(window.location.pathname + window.location.search, { ended: true }));
    if (result.status === 'success') onSuccess?.(result);
    else if (result.status === 'error') onRefused?.(result);
    return result.status === 'error' && keep.length > 0 ? { ...result, values: keptValues(formData, keep), kept: keep } : result;
  }, idle);
  useRestoreFocus(state[0], submittedFrom);
  return state;
}

/**
 * After a result, a keyboard user goes on from the form, not from the top of the page: to the first
 * field refused, or else back to what sent the form. Nothing is done when the form is gone (a dialog
 * that closed returns focus itself) or focus has moved on.
 */
function useRestoreFocus(result: FormResult, submittedFrom: { current: HTMLElement | null }) {
  useEffect(() => {
    const from = submittedFrom.current;
    submittedFrom.current = null;
    if (result.status === 'idle' || !from?.isConnected) return;
    const form = from.closest('form');
    const refused = result.fieldErrors ? form?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    if (refused) refused.focus();
    else if (document.activeElement === null || document.activeElement === document.body) from.focus();
  }, [result, submittedFrom]);
}

const FormResultContext = createContext<FormResult>(idle);

export function FormResultProvider({ value, children }: { value: FormResult; children: ReactNode }) {
  return <FormResultContext value={value}>{children}</FormResultContext>;
}

/** The enclosing action form's last result, e.g. to render kept list rows (values.hours…) after a refusal. */
export function useFormResult(): FormResult {
  return use(FormResultContext);
}

/** The error for a field name (full path: `hours.mon.1.end`) from the enclosing action form. */
export function useFieldError(name: string | undefined): string | undefined {
  const result = use(FormResultContext);
  return name === undefined ? undefined : result.fieldErrors?.[name];
}

/** The value kept for a top-level field after a failed submit, when it is a single string. */
export function useKeptValue(name: string | undefined): string | undefined {
  const result = use(FormResultContext);
  const value: FormNode | undefined = name === undefined ? undefined : result.values?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether a kept checkbox was ticked: undefined when nothing was kept, else whether it was sent. */
export function useKeptChecked(name: string | undefined): boolean | undefined {
  const result = use(FormResultContext);
  if (name === undefined || !result.values || !result.kept?.includes(name)) return undefined;
  return Object.hasOwn(result.values, name);
}
