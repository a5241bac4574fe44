'use client';
// What a history or metrics page shows when its read fails: a plain sentence in the page's language
// (read from <html lang>, since an error boundary gets no props from the server) and a retry.
// The error's message stays on the server; only its digest is shown, to match the server log.
import { useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { translator, type MessageKey } from '@/lib/i18n/format';

const subscribe = () => () => {};

export function PageError({ messageKey, digest, reset }: { messageKey: MessageKey; digest?: string; reset: () => void }) {
  const lang = useSyncExternalStore(subscribe, () => document.documentElement.lang, () => 'zh-CN');
  const t = translator(lang.startsWith('en') ? 'en' : 'zh');
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-800">
      <p className="font-medium">{t(messageKey)}</p>
      {digest && <p className="mt-1 font-mono text-xs text-red-700/80">{digest}</p>}
      <Button className="mt-4" variant="secondary" onClick={reset}>
        {t('sessions.retry')}
      </Button>
    </div>
  );
}
