'use client';
// The live page failed to render (the database unreachable, say): say so in the reader's language,
// with a retry; nothing of the error itself reaches the browser.
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { defaultLocale, isLocale, LOCALE_COOKIE, translator, type Locale } from '@/lib/i18n/format';

function cookieLocale(): Locale {
  const value = document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${LOCALE_COOKIE}=`))
    ?.split('=')[1];
  return isLocale(value) ? value : defaultLocale;
}

export default function LiveError({ reset }: { error: Error; reset: () => void }) {
  const [locale, setLocale] = useState<Locale>(defaultLocale);
  useEffect(() => setLocale(cookieLocale()), []);
  const t = translator(locale);
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-6 py-8 text-center">
      <p className="font-medium text-red-800">{t('live.errorTitle')}</p>
      <p className="mt-1 text-sm text-red-700">{t('live.errorBody')}</p>
      <Button className="mt-4" variant="secondary" onClick={() => reset()}>
        {t('live.retry')}
      </Button>
    </div>
  );
}
