// The histograms the metrics rollup keeps per day and agent (db/queries/metrics.ts): a duration in
// seconds falls in a bucket; medians, p90 and "accepted within the target" are read back from the
// summed buckets of any range of days, so 90 days never sort a million rows.
//
// Buckets 0 … 120 are whole seconds (bucket b holds (b − 1, b]): a service-level target of up to two
// minutes counts exactly, and percentiles of waits under two minutes are exact to the second. Above
// that each bucket is 5 % wider than the last (a value is known within ±2.5 %), up to a week; longer
// durations share the last bucket. Pure, so the SQL and the reading side cannot disagree.
import { sql, type SQL } from 'drizzle-orm';

export const EXACT_SECONDS = 120;
const GROWTH = 1.05;
const LAST_BUCKET = EXACT_SECONDS + Math.ceil(Math.log((7 * 86_400) / EXACT_SECONDS) / Math.log(GROWTH));

/** A sparse histogram: ascending bucket numbers and the count in each. */
export interface Histogram {
  buckets: number[];
  counts: number[];
}

/** The bucket of `seconds` (TypeScript twin of bucketSql, for tests and reading). */
export function bucketOf(seconds: number): number {
  if (seconds <= EXACT_SECONDS) return Math.max(0, Math.ceil(seconds));
  return Math.min(LAST_BUCKET, EXACT_SECONDS + Math.ceil(Math.log(seconds / EXACT_SECONDS) / Math.log(GROWTH)));
}

/** The bucket of a seconds expression, in SQL; null stays null. */
export function bucketSql(seconds: SQL): SQL {
  return sql`case when ${seconds} is null then null
    when ${seconds} <= ${sql.raw(String(EXACT_SECONDS))} then greatest(ceil(${seconds}), 0)::int
    else least(${sql.raw(String(LAST_BUCKET))}, ${sql.raw(String(EXACT_SECONDS))} + ceil(ln(${seconds} / ${sql.raw(String(EXACT_SECONDS))}.0) / ln(${sql.raw(String(GROWTH))})))::int end`;
}

/** The largest duration bucket `b` holds. */
export function bucketUpper(b: number): number {
  return b <= EXACT_SECONDS ? b : EXACT_SECONDS * GROWTH ** (b - EXACT_SECONDS);
}

/**
 * The value a bucket stands for: its whole second for exact buckets (so whole-second data reads
 * back exactly), the geometric middle of its range above.
 */
function representative(b: number): number {
  if (b <= EXACT_SECONDS) return b;
  return Math.sqrt(bucketUpper(b - 1) * bucketUpper(b));
}

/**
 * The `q` quantile as Postgres's percentile_cont computes it (interpolating between the two values
 * around position q × (n − 1)), over the bucket representatives; null when the histogram is empty.
 */
export function percentileOf(h: Histogram, q: number): number | null {
  const n = h.counts.reduce((a, c) => a + c, 0);
  if (n === 0) return null;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const lower = valueAtRank(h, below);
  if (position === below) return lower;
  const upper = valueAtRank(h, below + 1);
  return lower + (position - below) * (upper - lower);
}

function valueAtRank(h: Histogram, rank: number): number {
  let seen = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    seen += h.counts[i]!;
    if (rank < seen) return representative(h.buckets[i]!);
  }
  return representative(h.buckets.at(-1)!);
}

/**
 * How many durations are at most `target` seconds: exact for whole-second targets up to
 * EXACT_SECONDS; above, the bucket the target falls in counts in proportion to where it falls.
 */
export function countAtMost(h: Histogram, target: number): number {
  let count = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    const b = h.buckets[i]!;
    const upper = bucketUpper(b);
    if (upper <= target) count += h.counts[i]!;
    else {
      const lower = b === 0 ? 0 : bucketUpper(b - 1);
      if (target > lower && b > EXACT_SECONDS) count += h.counts[i]! * ((target - lower) / (upper - lower));
      break;
    }
  }
  return Math.round(count);
}
