// LISTEN/NOTIFY on either engine, with one listening connection per database handle however many
// subscribers there are: postgres.js keeps every `listen` of one client on a single dedicated
// connection, and PGlite delivers notifications in process. Payloads are small (ids and kinds,
// never message content): a subscriber refetches what changed.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from './handle';

/** Every channel wekf uses, in one list so two features never share one by accident. */
export const CHANNEL = {
  /** Queue and session changes, for the live page (issue 16): `{kind, ids}`. */
  live: 'wekf_live',
  /** A console edit of the customer-service settings: the payload is the new version. */
  settings: 'wekf_settings',
  /** Agents changed (sync, invite, binding): `{kind, agentId?}`. */
  agents: 'wekf_agents',
} as const;
export type Channel = (typeof CHANNEL)[keyof typeof CHANNEL];

type Handler = (payload: string) => void;

interface ChannelState {
  handlers: Set<Handler>;
  /** Resolves once the database listens; its value stops listening. */
  listening: Promise<() => Promise<void>>;
}

// On the handle itself: server.ts and Next's bundle each load this module but share one handle
// (db/client.ts), so both module graphs share one listening connection too.
const CHANNELS = Symbol.for('wekf.listenChannels');
type WithChannels = DatabaseHandle & { [CHANNELS]?: Map<string, ChannelState> };

/**
 * Call `handler` with each payload NOTIFYed on `channel` (in any instance sharing the database) from
 * now on. Resolves once the database listens; the returned function unsubscribes, and the last
 * subscriber of a channel stops its LISTEN.
 */
export async function subscribe(database: DatabaseHandle, channel: Channel, handler: Handler): Promise<() => Promise<void>> {
  const holder = database as WithChannels;
  const channels = (holder[CHANNELS] ??= new Map());
  let state = channels.get(channel);
  if (!state) {
    const handlers = new Set<Handler>();
    const deliver = (payload: string) => {
      for (const h of handlers) h(payload);
    };
    state = { handlers, listening: startListening(database, channel, deliver) };
    channels.set(channel, state);
  }
  const current = state;
  current.handlers.add(handler);
  try {
    await current.listening;
  } catch (error) {
    current.handlers.delete(handler);
    if (channels.get(channel) === current) channels.delete(channel);
    throw error;
  }
  return async () => {
    if (!current.handlers.delete(handler) || current.handlers.size > 0) return;
    if (channels.get(channel) === current) channels.delete(channel);
    const stop = await current.listening;
    await stop();
  };
}

async function startListening(database: DatabaseHandle, channel: Channel, deliver: Handler): Promise<() => Promise<void>> {
  if (database.postgres) {
    // postgres.js re-LISTENs by itself when its listening connection drops and comes back.
    const meta = await database.postgres.listen(channel, deliver);
    return () => meta.unlisten();
  }
  if (database.pglite) {
    const unlisten = await database.pglite.listen(channel, deliver);
    return () => unlisten();
  }
  throw new Error('this database handle cannot LISTEN');
}

/**
 * NOTIFY inside the caller's transaction: Postgres delivers it only if the transaction commits, so
 * a subscriber never refetches a change that was rolled back.
 */
export async function notify(tx: DbOrTx, channel: Channel, payload: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}
