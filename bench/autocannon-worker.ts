// The fallback load generator when wrk is not installed: autocannon in a child process of its
// own (so its CPU and memory are not the bench's), sending the same plan as bench/wrk.lua as one
// stream. Reads its configuration from the same BENCH_* variables and prints "WEKF_RESULT {json}".
import { messagePath, messageXml, plannedMessage, type Plan } from './plan';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  duration: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const need = (name: string) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};

const plan: Plan = {
  runTag: need('BENCH_RUN_TAG'),
  seed: Number(need('BENCH_SEED')),
  followers: Number(need('BENCH_FOLLOWERS')),
  keywordPct: Number(need('BENCH_KEYWORD_PCT')),
  copies: Number(need('BENCH_COPIES')),
  keyword: need('BENCH_KEYWORD'),
  other: need('BENCH_OTHER'),
  toUser: need('BENCH_TO_USER'),
  token: need('BENCH_TOKEN'),
};
const stream = Number(process.env.BENCH_STREAM_BASE ?? '0');
const [url, connections, duration] = [need('BENCH_URL'), Number(need('BENCH_CONNECTIONS')), Number(need('BENCH_DURATION'))];

// autocannon ships no type declarations; a non-literal specifier keeps the compiler out of it.
const autocannonModule = 'autocannon';
const autocannon = ((await import(autocannonModule)) as { default: Autocannon }).default;

let sent = 0;
let last: { index: number; request: AutocannonRequest } | undefined;
const result = await autocannon({
  url,
  connections,
  duration,
  timeout: 5,
  requests: [
    {
      setupRequest: (request: AutocannonRequest) => {
        const index = Math.floor(sent / plan.copies);
        sent++;
        if (last?.index !== index) {
          const m = plannedMessage(plan, stream, index);
          const now = Math.floor(Date.now() / 1000);
          const body = messageXml(plan, m, now);
          // A query of its own per message; a retry storm's copies reuse it, as WeChat's retries do.
          const path = messagePath(plan, stream, index, m, now, process.env.BENCH_PATH);
          last = { index, request: { method: 'POST', path, headers: { 'content-type': 'text/xml' }, body } };
        }
        return { ...request, ...last.request };
      },
    },
  ],
});

const us = (ms: number) => Math.round(ms * 1000);
process.stdout.write(
  `WEKF_RESULT ${JSON.stringify({
    loader: 'autocannon',
    completed: result.requests.total,
    durationUs: Math.round(result.duration * 1e6),
    p50Us: us(result.latency.p50),
    p90Us: us(result.latency.p90),
    p99Us: us(result.latency.p99),
    maxUs: us(result.latency.max),
    meanUs: us(result.latency.mean),
    non2xx: result.non2xx,
    errors: { connect: result.errors - result.timeouts, read: 0, write: 0, timeout: result.timeouts },
    streams: [{ stream, requests: sent }],
  })}\n`,
);
