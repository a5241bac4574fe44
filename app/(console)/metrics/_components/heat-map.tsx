// Busiest hours: sessions by weekday × hour of queueing, as a table (readable at any width, and to
// screen readers) whose cells are shaded in five steps.
import { cx } from '@/components/ui/styles';
import type { Translate } from '@/lib/i18n/format';

const SHADES = ['bg-white', 'bg-brand-50', 'bg-brand-100', 'bg-emerald-300', 'bg-brand-700 text-white', 'bg-emerald-900 text-white'];

export function HeatMap({ t, cells }: { t: Translate; cells: { dow: number; hour: number; sessions: number }[] }) {
  const counts = new Map(cells.map((c) => [`${c.dow}:${c.hour}`, c.sessions]));
  const max = Math.max(1, ...cells.map((c) => c.sessions));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <div role="region" aria-label={t('metrics.heat')} tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white p-2 shadow-sm">
      <table className="w-full min-w-[40rem] table-fixed border-separate border-spacing-0.5 text-center text-[10px]" data-testid="heat-map">
        <caption className="sr-only">{t('metrics.heat')}</caption>
        <thead>
          <tr>
            <th scope="col" className="w-16 px-1 whitespace-nowrap text-slate-500">
              {t('metrics.weekday')}
            </th>
            {hours.map((h) => (
              <th key={h} scope="col" className="font-normal text-slate-500">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[1, 2, 3, 4, 5, 6, 7].map((dow) => (
            <tr key={dow}>
              <th scope="row" className="px-1 font-normal whitespace-nowrap text-slate-600">
                {t(`metrics.dow${dow}` as 'metrics.dow1')}
              </th>
              {hours.map((h) => {
                const n = counts.get(`${dow}:${h}`) ?? 0;
                const shade = n === 0 ? 0 : Math.min(SHADES.length - 1, 1 + Math.floor((n / max) * (SHADES.length - 2)));
                return (
                  <td key={h} className={cx('h-6 rounded-sm ring-1 ring-slate-100', SHADES[shade])}>
                    {n > 0 ? n : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
