import Link from 'next/link';
import { focusRing } from '@/components/ui/styles';
import { getT } from '@/lib/i18n/server';

// Every unknown address, signed in or not: the console's look, the reader's language, a way back.
// Next's built-in 404 styles itself inline, which the console's Content-Security-Policy (proxy.ts)
// refuses; this one uses only the stylesheet.
export default async function NotFound() {
  const { t } = await getT();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm text-center">
        <div className="mx-auto mb-4 flex h-12 w-12 items-center justify-center rounded-xl bg-brand-600 text-xl font-bold text-white">
          kf
        </div>
        <p className="text-sm font-medium text-slate-500">404</p>
        <h1 className="mt-1 text-2xl font-semibold">{t('notFound.title')}</h1>
        <p className="mt-2 text-sm text-slate-600">{t('notFound.body')}</p>
        <Link
          href="/"
          className={`mt-6 inline-block rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:brightness-90 ${focusRing}`}
        >
          {t('notFound.home')}
        </Link>
      </div>
    </main>
  );
}
