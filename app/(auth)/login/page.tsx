import { redirect } from 'next/navigation';
import { LocaleSwitch } from '@/components/locale-switch';
import { safeNextPath } from '@/lib/auth/next-path';
import { currentUser } from '@/lib/auth/session';
import { getT } from '@/lib/i18n/server';
import { LoginForm } from './login-form';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('login.title');

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; ended?: string | string[] }> }) {
  const params = await searchParams;
  // The page a signed-out visitor asked for (requireUser sends them here with it), if it is ours.
  const next = safeNextPath(params.next);
  // Sent here by a sign-in that ended while this browser held it (loginPathFor's `ended`).
  const ended = params.ended === '1';
  if (await currentUser()) redirect(next);
  const { t, locale } = await getT();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <div className="mx-auto mb-3 flex h-12 w-12 items-center justify-center rounded-xl bg-brand-600 text-xl font-bold text-white">
            kf
          </div>
          <h1 className="text-2xl font-semibold">{t('login.title')}</h1>
          <p className="mt-1 text-sm text-slate-500">{t('app.tagline')}</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm
            next={next}
            ended={ended ? t('login.ended') : undefined}
            labels={{
              email: t('login.email'),
              password: t('login.password'),
              submit: t('login.submit'),
              submitting: t('login.submitting'),
              invalid: t('login.invalid'),
              missing: t('login.missing'),
              throttled: t('login.throttled'),
              unavailable: t('login.unavailable'),
              failed: t('login.failed'),
            }}
          />
        </div>
        <div className="mt-4 flex justify-center">
          <LocaleSwitch locale={locale} label={t('shell.language')} />
        </div>
      </div>
    </main>
  );
}
