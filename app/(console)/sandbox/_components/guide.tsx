import Link from 'next/link';
import type { Translate } from '@/lib/i18n/format';

/** The first run, step by step; each step ticks itself off from what the fake WeChat saw. */
export function Guide({ steps, keyword, t }: { steps: boolean[]; keyword: string; t: Translate }) {
  const texts = [t('sandbox.guide1'), t('sandbox.guide2', { keyword }), t('sandbox.guide3'), t('sandbox.guide4'), t('sandbox.guide5')];
  return (
    <section aria-labelledby="sandbox-guide" className="mb-8 rounded-xl border border-brand-100 bg-brand-50 p-4">
      <h2 id="sandbox-guide" className="mb-2 text-base font-semibold">
        {t('sandbox.guideTitle')}
      </h2>
      <ol className="list-decimal space-y-1 pl-5 text-sm">
        {texts.map((text, i) => (
          <li key={i} className={steps[i] ? 'text-slate-500 line-through' : undefined}>
            {i === 2 ? (
              <Link href="/" className="text-brand-700 hover:underline">
                {text}
              </Link>
            ) : (
              text
            )}
            {steps[i] && <span className="sr-only"> ({t('sandbox.guideDone')})</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
