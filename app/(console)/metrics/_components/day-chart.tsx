// Sessions per day as stacked SVG bars (served, expired, dropped, still open). Drawn with SVG
// attributes only: the console's style-src policy (a nonce, no 'unsafe-inline') would block the
// inline style attributes that chart libraries write. The numbers are in the table beneath.
import type { MetricsGroup } from '@/db/queries/metrics';

const HEIGHT = 160;
const COLOURS = { served: '#15803d', expired: '#b91c1c', dropped: '#f59e0b', open: '#94a3b8' };

export function DayChart({ days, label, legend }: { days: (MetricsGroup & { day: string })[]; label: string; legend: Record<keyof typeof COLOURS, string> }) {
  const max = Math.max(1, ...days.map((d) => d.sessions));
  const barWidth = 12;
  const gap = 4;
  // A short range keeps two weeks' slots, so its few bars stay bars rather than blocks.
  const slots = Math.max(days.length, 14);
  const width = slots * (barWidth + gap);
  // A date every week, and the last day when it stands three slots clear of the one before: at a
  // phone's width a slot is about 23 px, and a date needs about 35.
  const labelled = (i: number) => i % 7 === 0 || (i === days.length - 1 && i % 7 >= 3);
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      {/* Stretched to the card (preserveAspectRatio none), so each day takes an equal share of its
          width at any size, and the dates beneath, in HTML, keep their size on a phone. */}
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" className="h-40 w-full">
        {days.map((d, i) => {
          const parts: [keyof typeof COLOURS, number][] = [
            ['served', d.served],
            ['expired', d.expired],
            ['dropped', d.dropped],
            ['open', d.sessions - d.served - d.expired - d.dropped],
          ];
          let y = HEIGHT;
          const x = i * (barWidth + gap);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.sessions}`}</title>
              {parts.map(([key, n]) => {
                if (n <= 0) return null;
                const h = (n / max) * HEIGHT;
                y -= h;
                return <rect key={key} x={x} y={y} width={barWidth} height={h} fill={COLOURS[key]} />;
              })}
            </g>
          );
        })}
      </svg>
      <div aria-hidden data-testid="day-chart-dates" className="mt-1 flex h-4 text-xs text-slate-500">
        {Array.from({ length: slots }, (_, i) => (
          <span key={i} className="relative min-w-0 flex-1">
            {/* Centred under its bar (the bar is the slot's first 12 of 16 units), not started at
                its left edge: a date wider than a slot read as the next day's. */}
            {i < days.length && labelled(i) && <span className="absolute left-[37.5%] -translate-x-1/2 whitespace-nowrap">{days[i]!.day.slice(5)}</span>}
          </span>
        ))}
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
        {(Object.keys(COLOURS) as (keyof typeof COLOURS)[]).map((k) => (
          <span key={k} className="inline-flex items-center gap-1">
            <svg width="10" height="10" aria-hidden>
              <rect width="10" height="10" fill={COLOURS[k]} />
            </svg>
            {legend[k]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
