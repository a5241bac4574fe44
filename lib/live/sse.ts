// The server-sent event stream of one open live page, fed by the instance's hub, written straight to
// the Node response (lib/server/live-http.ts checks who is asking and writes the headers). Not a Next
// route: with 200 pages open, Next's web-stream plumbing cost about 50 µs per event per page on the
// webhook's thread (docs/benchmarks.md); a raw write costs a few.
import 'server-only';
import type { LiveEvent, LiveHub } from './hub';

/** Where the events go: a Node response (or any writable stream, in tests). */
export interface LiveSink {
  write(chunk: string | Uint8Array): boolean;
  end(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

export interface LiveStreamOptions {
  hub: LiveHub;
  /** The browser's Last-Event-ID header on a reconnect. */
  lastEventId: string | null;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  keepAliveMs?: number;
  /**
   * The stream ends after this long and the browser reconnects (EventSource does by itself), so a
   * signed-out or disabled staff member stops receiving within this time: each reconnect is checked.
   */
  maxLifetimeMs?: number;
}

/** How soon EventSource reconnects after a drop (its `retry:` field). */
export const RECONNECT_MS = 1500;

/**
 * Unsent bytes a page may hold before its stream is ended: a page that does not read (a stalled
 * tab, a dead network) must not grow the server's memory. It reconnects with Last-Event-ID and gets
 * what it missed, or a refresh.
 */
export const MAX_UNSENT_BYTES = 64 * 1024;

export function formatEvent(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify({ ids: event.ids, more: event.more })}\n\n`;
}

// One event goes to every open page: encode it once, not once per page.
const encoded = new WeakMap<LiveEvent, Buffer>();
function bytesOf(event: LiveEvent): Buffer {
  let bytes = encoded.get(event);
  if (!bytes) encoded.set(event, (bytes = Buffer.from(formatEvent(event))));
  return bytes;
}

// The streams open in this process, each by the function that ends it.
const openStreams = new Set<() => void>();

/**
 * Ends every open stream, for a shutdown: the browsers reconnect (to another instance, or to this
 * one once it is back) instead of holding the stop until its grace period runs out.
 */
export function endLiveStreams(): void {
  for (const end of [...openStreams]) end();
}

/** Streams the hub's events to `sink` until it closes, the lifetime ends, or it stops reading. */
export async function streamLiveEvents(sink: LiveSink, opts: LiveStreamOptions): Promise<void> {
  const keepAliveMs = opts.keepAliveMs ?? 15_000;
  const maxLifetimeMs = opts.maxLifetimeMs ?? 5 * 60_000;
  let closed = false;
  let remove: (() => Promise<void>) | undefined;
  const timers: NodeJS.Timeout[] = [];

  const finish = () => {
    if (closed) return;
    closed = true;
    openStreams.delete(finish);
    for (const timer of timers) clearTimeout(timer);
    sink.off('close', finish);
    void remove?.();
    if (!sink.destroyed) sink.end();
  };
  const send = (chunk: string | Buffer) => {
    if (closed) return;
    if (sink.writableLength > MAX_UNSENT_BYTES) return finish();
    sink.write(chunk);
  };
  sink.once('close', finish);
  openStreams.add(finish);
  if (sink.destroyed) return finish();

  send(`retry: ${RECONNECT_MS}\n\n`);
  try {
    remove = await opts.hub.add((event) => send(bytesOf(event)));
  } catch {
    // The database cannot LISTEN now: end, and the browser retries.
    return finish();
  }
  if (closed) return void remove();

  // Listening now; whatever happened between the browser's last event and now is either in the
  // hub's memory, or unknown, and then the page refetches everything.
  const missed = opts.lastEventId ? opts.hub.since(opts.lastEventId) : [];
  if (missed === undefined) send(formatEvent({ id: opts.hub.lastEventId, kind: 'refresh', ids: [], more: true }));
  else for (const event of missed) send(bytesOf(event));
  // A first connection learns where it stands, so its reconnect can say what it has seen.
  if (!opts.lastEventId) send(`id: ${opts.hub.lastEventId}\nevent: ready\ndata: {}\n\n`);

  timers.push(setInterval(() => send(': keep-alive\n\n'), keepAliveMs));
  timers.push(setTimeout(finish, maxLifetimeMs));
  for (const timer of timers) timer.unref();
}

export const LIVE_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  // nginx and friends would otherwise buffer the stream.
  'x-accel-buffering': 'no',
} as const;
