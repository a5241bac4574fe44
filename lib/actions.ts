// One wrapper for every console mutation: read FormData into an object (lib/forms/form-data.ts:
// dotted names like `hours.mon.1.end` nest, indices make lists, repeated names make arrays), parse
// it with zod, check the session and role on the server, run, and map any failure to one form-state
// shape. Field errors are keyed by the full field name (lib/forms/names.ts). A DomainError from the
// use case is shown translated, beside its field when it names one; nothing else internal reaches
// the browser.
import { headers } from 'next/headers';
import { z } from 'zod';
import { withAuditContext } from '@/db/queries/audit-log';
import { CLIENT_IP_HEADER } from '@/lib/auth/options';
import { AuthError, assertRole, type SignedInUser } from '@/lib/auth/session';
import { DomainError } from '@/lib/errors';
import { formDataToObject, FormShapeError } from '@/lib/forms/form-data';
import { domainErrorState, invalidFormState, type FormState } from '@/lib/forms/form-state';
import type { Translate } from '@/lib/i18n/format';
import { getT } from '@/lib/i18n/server';
import { errorText, log } from '@/lib/log';
import { wechatErrorMessage } from '@/lib/forms/wechat-error';

export { idleFormState, type FormState } from '@/lib/forms/form-state';

const actionLog = log.child({ module: 'actions' });

type ActionBody<S extends z.ZodType> = (
  input: z.infer<S>,
  ctx: { user: SignedInUser; t: Translate },
) => Promise<string | void>;

function wrap<S extends z.ZodType>(role: 'admin' | 'any', schema: S, body: ActionBody<S>) {
  return async (_previous: FormState, formData: FormData): Promise<FormState> => {
    const { t, locale } = await getT();
    try {
      const user = await assertRole(role);
      const parsed = schema.safeParse(formDataToObject(formData));
      if (!parsed.success) return invalidFormState(parsed.error.issues, t);
      // Every audit line the action writes carries the client's address (server.ts stamps it).
      const ip = (await headers()).get(CLIENT_IP_HEADER);
      const message = await withAuditContext({ ip }, () => body(parsed.data, { user, t }));
      return { status: 'success', message: message ?? undefined };
    } catch (error) {
      if (error instanceof AuthError) {
        if (error.code === 'forbidden') return { status: 'error', message: t('error.forbidden') };
        return { status: 'error', message: t('error.unauthenticated'), signedOut: true };
      }
      if (error instanceof DomainError) return domainErrorState(error, t);
      const wechat = wechatErrorMessage(error, t, locale);
      if (wechat) return { status: 'error', message: wechat };
      // Only a hand-made request sends names our pages never render.
      if (error instanceof FormShapeError) return { status: 'error', message: t('form.invalid') };
      actionLog.error({ err: errorText(error) }, 'action failed');
      return { status: 'error', message: t('error.generic') };
    }
  };
}

export const adminAction = <S extends z.ZodType>(schema: S, body: ActionBody<S>) => wrap('admin', schema, body);
export const staffAction = <S extends z.ZodType>(schema: S, body: ActionBody<S>) => wrap('any', schema, body);

/**
 * A console call that returns data rather than a form's state (a QR code to show, a binding's
 * state): the same session, role and error handling as the form actions.
 */
export async function consoleCall<T>(
  role: 'admin' | 'any',
  body: (ctx: { user: SignedInUser; t: Translate }) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  const { t, locale } = await getT();
  try {
    const user = await assertRole(role);
    return { ok: true, value: await body({ user, t }) };
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, message: t(error.code === 'forbidden' ? 'error.forbidden' : 'error.unauthenticated') };
    if (error instanceof DomainError) return { ok: false, message: t(error.code, error.params) };
    const wechat = wechatErrorMessage(error, t, locale);
    if (wechat) return { ok: false, message: wechat };
    actionLog.error({ err: errorText(error) }, 'console call failed');
    return { ok: false, message: t('error.generic') };
  }
}
