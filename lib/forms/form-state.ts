// The one shape every console form reads back, and how failures become it: zod issues and
// DomainErrors are catalog codes, translated here into the reader's language and keyed by the full
// field name (names.ts), so a page shows each beside its field. Nothing else reaches the browser.
import type { z } from 'zod';
import type { DomainError } from '@/lib/errors';
import { isMessageKey, type Translate } from '@/lib/i18n/format';
import { pathKey } from './names';

export interface FormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  /** Translated text by full field name: `email`, `hours.mon.1.end`. */
  fieldErrors?: Record<string, string>;
  /** Nobody is signed in any more (signed out elsewhere, disabled): the page goes to sign-in. */
  signedOut?: true;
}

export const idleFormState: FormState = { status: 'idle' };

type Issue = z.core.$ZodIssue;

/** An issue's text: its message when that is a catalog code (with its params and bounds), else a generic one. */
export function issueText(issue: Issue, t: Translate): string {
  if (!isMessageKey(issue.message)) return t('form.invalid');
  const vars: Record<string, string | number> = {};
  if (issue.code === 'custom' && issue.params) {
    for (const [name, value] of Object.entries(issue.params)) {
      if (typeof value === 'string' || typeof value === 'number') vars[name] = value;
    }
  }
  if (issue.code === 'too_big') vars.max = Number(issue.maximum);
  if (issue.code === 'too_small') vars.min = Number(issue.minimum);
  return t(issue.message, vars);
}

/** A refused form: the first problem of each field beside it; one about the whole form on top. */
export function invalidFormState(issues: readonly Issue[], t: Translate): FormState {
  const fieldErrors: Record<string, string> = {};
  let message: string | undefined;
  for (const issue of issues) {
    const field = pathKey(issue.path);
    if (field === '') message ??= issueText(issue, t);
    else fieldErrors[field] ??= issueText(issue, t);
  }
  return {
    status: 'error',
    message: message ?? t(Object.keys(fieldErrors).length > 0 ? 'form.checkFields' : 'form.invalid'),
    ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
}

/** A use case's refusal, translated; beside its field when it names one. */
export function domainErrorState(error: DomainError, t: Translate): FormState {
  const text = t(error.code, error.params);
  if (error.field === undefined) return { status: 'error', message: text };
  return { status: 'error', message: t('form.checkFields'), fieldErrors: { [error.field]: text } };
}
