import Link from 'next/link';
import { focusRing } from '@/components/ui/styles';
import { getT } from '@/lib/i18n/server';

// Every unknown address. Next's built-in 404 page styles itself with inline style attributes and a
// <style> element, which the console's Content-Security-Policy (proxy.ts) refuses; this one uses
// the console's stylesheet, in the reader's language.
export default async function NotFound() {
  const { t } = await getT();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold">{t('notFound.title')}</h1>
      <p className="mt-2 text-sm text-slate-500">{t('notFound.body')}</p>
      <Link
        href="/"
        className={`mt-6 rounded-md bg-brand-700 px-3 py-2 text-sm font-medium text-white shadow-xs hover:brightness-90 ${focusRing}`}
      >
        {t('notFound.home')}
      </Link>
    </main>
  );
}
