// One wrapper for every console mutation: parse FormData with zod, check the session and role on
// the server, run, and map any failure to one form-state shape. Nothing internal reaches the browser.
import { z } from 'zod';
import { AuthError, assertRole, type SignedInUser } from '@/lib/auth/session';
import type { MessageKey, Translate } from '@/lib/i18n/format';
import { getT } from '@/lib/i18n/server';
import { PublicActionError } from '@/lib/errors';
import { errorText, log } from '@/lib/log';

export interface FormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Record<string, string>;
}

export const idleFormState: FormState = { status: 'idle' };

const actionLog = log.child({ module: 'actions' });

type ActionBody<S extends z.ZodType> = (
  input: z.infer<S>,
  ctx: { user: SignedInUser; t: Translate },
) => Promise<string | void>;

function wrap<S extends z.ZodType>(role: 'admin' | 'any', schema: S, body: ActionBody<S>) {
  return async (_previous: FormState, formData: FormData): Promise<FormState> => {
    const { t } = await getT();
    try {
      const user = await assertRole(role);
      const parsed = schema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '_');
          fieldErrors[field] ??= translateIssue(issue.message, t);
        }
        return { status: 'error', message: t('form.invalid'), fieldErrors };
      }
      const message = await body(parsed.data, { user, t });
      return { status: 'success', message: message ?? undefined };
    } catch (error) {
      if (error instanceof AuthError) {
        return { status: 'error', message: t(error.code === 'forbidden' ? 'error.forbidden' : 'error.unauthenticated') };
      }
      if (error instanceof PublicActionError) return { status: 'error', message: t(error.messageKey) };
      actionLog.error({ err: errorText(error) }, 'action failed');
      return { status: 'error', message: t('error.generic') };
    }
  };
}

function translateIssue(message: string, t: Translate): string {
  return message.startsWith('form.') ? t(message as MessageKey) : t('form.invalid');
}

export const adminAction = <S extends z.ZodType>(schema: S, body: ActionBody<S>) => wrap('admin', schema, body);
export const staffAction = <S extends z.ZodType>(schema: S, body: ActionBody<S>) => wrap('any', schema, body);
