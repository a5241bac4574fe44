// The live-path case of the bench (issue 16): N open live pages (SSE clients on /api/live, signed in
// with a cookie minted for the bench's admin, as next-auth would issue it) while the webhook takes the
// usual load. For each session the load opened, the delay is from its write to the moment the last
// client received an event naming it.
import http from 'node:http';
import { encode } from 'next-auth/jwt';
import type { RawDb } from './seed';

/** The bench server's AUTH_SECRET (bench/server.ts): next-auth's cookie is a JWT encrypted with it. */
const SESSION_COOKIE = 'next-auth.session-token';

export async function benchSessionCookie(raw: RawDb, secret: string): Promise<string> {
  const rows = await raw.query<{ id: number; session_version: number }>(`select id, session_version from users order by id limit 1`);
  const user = rows[0];
  if (!user) throw new Error('the bench server created no admin');
  const token = await encode({
    token: { uid: Number(user.id), sv: Number(user.session_version), sia: Math.floor(Date.now() / 1000) },
    secret,
    maxAge: 3600,
  });
  return `${SESSION_COOKIE}=${token}`;
}

interface Arrival {
  at: number;
  ids: number[];
  more: boolean;
}

export interface LiveClients {
  /** Clients whose stream is open (answered 200 with text/event-stream). */
  open(): number;
  arrivals: Arrival[][];
  close(): void;
}

export async function openLiveClients(opts: { url: string; cookie: string; count: number }): Promise<LiveClients> {
  // node:http, not fetch: the pages stand for browsers on other machines, so reading them should
  // take as little of this machine as it can (web streams cost several times more per chunk).
  const requests: http.ClientRequest[] = [];
  const arrivals: Arrival[][] = Array.from({ length: opts.count }, () => []);
  let open = 0;
  const start = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const request = http.get(`${opts.url}/api/live`, { headers: { cookie: opts.cookie }, agent: false }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new Error(`live client ${i}: HTTP ${response.statusCode}`));
        }
        open++;
        resolve();
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (!block.includes('event: sessions')) continue;
            const data = /^data: (.*)$/m.exec(block)?.[1];
            const parsed = JSON.parse(data ?? '{}') as { ids?: number[]; more?: boolean };
            arrivals[i]!.push({ at: Date.now(), ids: parsed.ids ?? [], more: parsed.more === true });
          }
        });
        response.on('close', () => open--);
      });
      request.on('error', (error) => (open === 0 ? reject(error) : undefined));
      requests.push(request);
    });
  // A few at a time, as pages open over a morning; all must be listening before the load starts.
  for (let i = 0; i < opts.count; i += 20) await Promise.all(Array.from({ length: Math.min(20, opts.count - i) }, (_, k) => start(i + k)));
  return { open: () => open, arrivals, close: () => requests.forEach((r) => r.destroy()) };
}

export interface LiveDelay {
  sessions: number;
  /** Sessions every client saw by id; an event whose id list was cut ("more") names only the first 50. */
  matched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * For each session the load opened, the time from its row's write (created_at: the transaction's
 * start, a little before the webhook answered, so this errs long) to when the slowest client got an
 * event naming it: the delay every open page sees.
 */
export async function liveDelays(raw: RawDb, clients: LiveClients): Promise<LiveDelay> {
  const rows = await raw.query<{ id: number; at: number }>(`select id, extract(epoch from created_at) * 1000 as at from customer_sessions`);
  const firstSeen = clients.arrivals.map((list) => {
    const seen = new Map<number, number>();
    for (const a of list) for (const id of a.ids) if (!seen.has(id)) seen.set(id, a.at);
    return seen;
  });
  const delays: number[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    let slowest = -Infinity;
    for (const seen of firstSeen) {
      const at = seen.get(id);
      if (at === undefined) {
        slowest = NaN;
        break;
      }
      slowest = Math.max(slowest, at - Number(row.at));
    }
    if (!Number.isNaN(slowest)) delays.push(Math.max(0, slowest));
  }
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? NaN;
  return { sessions: rows.length, matched: delays.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: delays.at(-1) ?? NaN };
}
