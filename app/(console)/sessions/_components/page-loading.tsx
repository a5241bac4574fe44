import { getT } from '@/lib/i18n/server';
import type { MessageKey } from '@/lib/i18n/format';

/** A page's loading state: its title's place and a few grey rows, with the wait said in words. */
export async function PageLoading({ messageKey }: { messageKey: MessageKey }) {
  const { t } = await getT();
  return (
    <div role="status" aria-live="polite">
      <p className="sr-only">{t(messageKey)}</p>
      <div className="mb-6 h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="space-y-2">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-10 animate-pulse rounded-lg bg-slate-100" />
        ))}
      </div>
      <p className="mt-3 text-sm text-slate-500">{t(messageKey)}</p>
    </div>
  );
}
