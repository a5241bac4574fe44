// The server-sent event stream of one open live page, fed by the instance's hub. The route handler
// (app/api/live/route.ts) checks who is asking; this part is plain so tests drive it directly.
import 'server-only';
import type { LiveEvent, LiveHub } from './hub';

export interface LiveStreamOptions {
  hub: LiveHub;
  /** The browser's Last-Event-ID header on a reconnect. */
  lastEventId: string | null;
  /** Aborted when the browser goes away. */
  signal: AbortSignal;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  keepAliveMs?: number;
  /**
   * The stream ends after this long and the browser reconnects (EventSource does by itself), so a
   * signed-out or disabled staff member stops receiving within this time: each reconnect is checked.
   */
  maxLifetimeMs?: number;
}

const encoder = new TextEncoder();

/** How soon EventSource reconnects after a drop (its `retry:` field). */
export const RECONNECT_MS = 1500;

export function formatEvent(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify({ ids: event.ids, more: event.more })}\n\n`;
}

// One event goes to every open page: encode it once, not once per page.
const encoded = new WeakMap<LiveEvent, Uint8Array>();
function bytesOf(event: LiveEvent): Uint8Array {
  let bytes = encoded.get(event);
  if (!bytes) encoded.set(event, (bytes = encoder.encode(formatEvent(event))));
  return bytes;
}

export function liveEventStream(opts: LiveStreamOptions): ReadableStream<Uint8Array> {
  const keepAliveMs = opts.keepAliveMs ?? 15_000;
  const maxLifetimeMs = opts.maxLifetimeMs ?? 5 * 60_000;
  let finish: (() => void) | undefined;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let remove: (() => Promise<void>) | undefined;
      const timers: NodeJS.Timeout[] = [];
      const send = (text: string | Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(typeof text === 'string' ? encoder.encode(text) : text);
        } catch {
          finish?.();
        }
      };
      finish = () => {
        if (closed) return;
        closed = true;
        for (const timer of timers) clearInterval(timer);
        opts.signal.removeEventListener('abort', onAbort);
        void remove?.();
        try {
          controller.close();
        } catch {
          // already closed by the browser going away
        }
      };
      const onAbort = () => finish?.();
      opts.signal.addEventListener('abort', onAbort);
      if (opts.signal.aborted) return finish();

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
      const lifetime = setTimeout(() => finish?.(), maxLifetimeMs);
      timers.push(lifetime);
      for (const timer of timers) timer.unref();
    },
    cancel() {
      finish?.();
    },
  });
}

export const LIVE_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  // nginx and friends would otherwise buffer the stream.
  'x-accel-buffering': 'no',
} as const;
