// Runs the load generator in a child process: wrk (bench/wrk.lua) when installed, else autocannon
// (bench/autocannon-worker.ts). Both send the same message plan and print one WEKF_RESULT line.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from './plan';

export type Loader = 'wrk' | 'autocannon';

export interface LoadResult {
  loader: Loader;
  /** Responses received. */
  completed: number;
  durationUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  /** Responses with a status of 400 or more (wrk) / not 2xx (autocannon). */
  non2xx: number;
  errors: { connect: number; read: number; write: number; timeout: number };
  /** Requests each stream made (sent, answered or not). */
  streams: { stream: number; requests: number }[];
}

export interface LoadOptions {
  loader: Loader;
  url: string;
  connections: number;
  durationS: number;
  threads: number;
  /** First stream number; each wrk thread is one stream. */
  streamBase: number;
  plan: Plan;
  /** The webhook's path (default /api/wechat; the peers of --vs-peer listen on /wechat). */
  path?: string;
  /** The generator's output (wrk's own summary) goes here as well as being parsed. */
  onOutput?: (text: string) => void;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return probe.error === undefined && /wrk/.test(`${probe.stdout}${probe.stderr}`);
}

/** Starts the generator; `pid` is there at once for CPU sampling, `result` when it is done. */
export function startLoad(opts: LoadOptions): { pid: number; result: Promise<LoadResult> } {
  const { plan } = opts;
  const env = {
    ...process.env,
    BENCH_TOKEN: plan.token,
    BENCH_FOLLOWERS: String(plan.followers),
    BENCH_RUN_TAG: plan.runTag,
    BENCH_SEED: String(plan.seed),
    BENCH_KEYWORD_PCT: String(plan.keywordPct),
    BENCH_COPIES: String(plan.copies),
    BENCH_KEYWORD: plan.keyword,
    BENCH_OTHER: plan.other,
    BENCH_TO_USER: plan.toUser,
    BENCH_STREAM_BASE: String(opts.streamBase),
    BENCH_URL: opts.url,
    BENCH_PATH: opts.path ?? '/api/wechat',
    BENCH_CONNECTIONS: String(opts.connections),
    BENCH_DURATION: String(opts.durationS),
  };
  const child =
    opts.loader === 'wrk'
      ? spawn(
          'wrk',
          [
            `-t${opts.threads}`,
            `-c${opts.connections}`,
            `-d${opts.durationS}s`,
            '--timeout',
            '5s',
            '-s',
            path.join(here, 'wrk.lua'),
            opts.url,
          ],
          { env, stdio: ['ignore', 'pipe', 'pipe'] },
        )
      : spawn(process.execPath, ['--import', 'tsx', path.join(here, 'autocannon-worker.ts')], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });

  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    opts.onOutput?.(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('WEKF_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${opts.loader} exited with ${code}:\n${output.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice('WEKF_RESULT '.length)) as LoadResult);
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${opts.loader}`);
  return { pid: child.pid, result };
}
