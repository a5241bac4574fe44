'use client';
// The audit log could not be read (the database is unreachable): say so, and offer to try again.
import { Button } from '@/components/ui/button';
import { translator } from '@/lib/i18n/format';

export default function AuditError({ reset }: { reset: () => void }) {
  // The root layout sets <html lang>; this boundary has no server to ask.
  const t = translator(typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'zh');
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-900">
      <p className="font-medium">{t('audit.loadFailed')}</p>
      <Button className="mt-3" onClick={reset}>
        {t('common.retry')}
      </Button>
    </div>
  );
}
