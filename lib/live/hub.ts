// One LISTEN per instance, fanned out in memory to every open live page (DESIGN.md "The console").
// The database's NOTIFYs (the customer_sessions trigger, migration 0006; the agents channel) become
// numbered events; each open page's event stream is one listener here, never a database connection.
// The last events are kept so a browser that reconnects with Last-Event-ID gets what it missed, or
// is told to refresh everything when they are gone (another instance, a restart, a long drop).
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@/db/client';
import { CHANNEL, subscribe } from '@/db/listen';
import { errorText, log } from '@/lib/log';

const hubLog = log.child({ module: 'live' });

export type LiveEventKind = 'sessions' | 'agents' | 'refresh';

/** What a page is told: which kind of thing changed and its ids, never any content. */
export interface LiveEvent {
  /** `<instance>-<sequence>`, for Last-Event-ID. */
  id: string;
  kind: LiveEventKind;
  ids: number[];
  /** More ids changed than the payload lists. */
  more: boolean;
}

export type LiveListener = (event: LiveEvent) => void;

/** Events kept for reconnecting pages: a few seconds of a busy queue. */
const REPLAY_EVENTS = 500;
/** Ids a NOTIFY payload carries at most (the trigger's cap, migration 0008). */
const MAX_PAYLOAD_IDS = 50;
/** Ids an event names at most: a second's worth of a busy queue's changes at the event interval. */
const MAX_EVENT_IDS = 200;
/**
 * At most one event of each kind per this long. Every event is one write to every open page, so
 * under a burst of keywords the server's cost is events per second × pages: at 200 pages, 100 ms
 * cost the webhook about a fifth of its CPU per message (docs/benchmarks.md), 250 ms far less, and a
 * page still changes well inside its one second. A change after a quiet spell goes out at once.
 */
export const LIVE_EVENT_INTERVAL_MS = 250;

export class LiveHub {
  private readonly listeners = new Set<LiveListener>();
  private readonly recent: LiveEvent[] = [];
  // Differs per process start, so an id from before a restart (or from another instance) is never
  // mistaken for one of ours.
  private readonly instance = randomBytes(4).toString('hex');
  private sequence = 0;
  private subscription: Promise<Array<() => Promise<void>>> | undefined;
  private pending: Partial<Record<'sessions' | 'agents', { ids: Set<number>; more: boolean }>> = {};
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlushAt = 0;

  constructor(private readonly database: DatabaseHandle) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** How many events this hub has sent: a read made at sequence n is current until it moves. */
  get currentSequence(): number {
    return this.sequence;
  }

  /** The id of the latest event, or of "nothing yet": where a new page starts from. */
  get lastEventId(): string {
    return `${this.instance}-${this.sequence}`;
  }

  /**
   * Call `listener` with every event from now on. Resolves once the database listens, so nothing
   * committed after that is missed; the returned function removes the listener, and the last one
   * out stops the LISTEN.
   */
  async add(listener: LiveListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    try {
      await this.listen();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) await this.unlisten();
    };
  }

  /**
   * The events after `lastEventId`, oldest first; undefined when they cannot be known (the id is
   * another instance's or process's, or older than what is kept): the page must refetch everything.
   */
  since(lastEventId: string): LiveEvent[] | undefined {
    const [instance, seq] = lastEventId.split('-');
    const after = Number(seq);
    if (instance !== this.instance || !Number.isInteger(after) || after > this.sequence) return undefined;
    if (after === this.sequence) return [];
    const oldestKept = this.recent[0] ? Number(this.recent[0].id.split('-')[1]) : this.sequence + 1;
    if (after + 1 < oldestKept) return undefined;
    return this.recent.filter((e) => Number(e.id.split('-')[1]) > after);
  }

  /**
   * A payload as NOTIFYed (the subscription's handler; tests). The first payload after a quiet spell
   * goes out at once (on the next tick, with whatever arrives with it); later ones gather until
   * LIVE_EVENT_INTERVAL_MS after the last event, so under a burst every page gets a few events a
   * second, not one per webhook batch, and each is written once per page.
   */
  publish(kind: Exclude<LiveEventKind, 'refresh'>, payload: string): void {
    const parsed = parsePayload(payload);
    const pending = (this.pending[kind] ??= { ids: new Set<number>(), more: false });
    for (const id of parsed.ids) pending.ids.add(id);
    pending.more ||= parsed.more;
    this.flushTimer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlushAt + LIVE_EVENT_INTERVAL_MS - Date.now()));
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlushAt = Date.now();
    const pending = this.pending;
    this.pending = {};
    for (const kind of ['sessions', 'agents'] as const) {
      const batch = pending[kind];
      if (!batch) continue;
      const ids = [...batch.ids];
      const event: LiveEvent = { id: `${this.instance}-${++this.sequence}`, kind, ids: ids.slice(0, MAX_EVENT_IDS), more: batch.more || ids.length > MAX_EVENT_IDS };
      this.recent.push(event);
      if (this.recent.length > REPLAY_EVENTS) this.recent.shift();
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          hubLog.warn({ err: errorText(error) }, 'a live listener failed');
        }
      }
    }
  }

  private listen(): Promise<unknown> {
    this.subscription ??= Promise.all([
      subscribe(this.database, CHANNEL.live, (payload) => this.publish('sessions', payload)),
      subscribe(this.database, CHANNEL.agents, (payload) => this.publish('agents', payload)),
    ]).catch((error: unknown) => {
      this.subscription = undefined;
      throw error;
    });
    return this.subscription;
  }

  private async unlisten(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    if (!subscription) return;
    const stops = await subscription.catch(() => []);
    await Promise.all(stops.map((stop) => stop().catch(() => {})));
  }
}

function parsePayload(payload: string): { ids: number[]; more: boolean } {
  try {
    const value = JSON.parse(payload) as { ids?: unknown; agentId?: unknown; more?: unknown };
    const raw = Array.isArray(value.ids) ? value.ids : value.agentId !== undefined ? [value.agentId] : [];
    const ids = raw.filter((id): id is number => Number.isSafeInteger(id)).slice(0, MAX_PAYLOAD_IDS);
    return { ids, more: value.more === true || raw.length > ids.length };
  } catch {
    // A payload we cannot read still means something changed.
    return { ids: [], more: true };
  }
}

// On the handle, as db/listen.ts does: one hub per database, whichever module graph asks.
const HUB = Symbol.for('wekf.liveHub');

export function liveHub(database: DatabaseHandle): LiveHub {
  const holder = database as DatabaseHandle & { [HUB]?: LiveHub };
  return (holder[HUB] ??= new LiveHub(database));
}
