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
  const width = Math.max(days.length * (barWidth + gap), 100);
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      {/* As wide as the card, as tall as that makes it up to 16rem, so a month fills a laptop's card and fits a phone's. */}
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${HEIGHT + 20}`} className="h-auto max-h-64 w-full">
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
              {(i % 7 === 0 || days.length <= 10) && (
                <text x={x} y={HEIGHT + 14} fontSize="11" fill="#64748b">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
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
