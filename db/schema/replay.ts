import { bigint, customType, pgTable, text } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The signed query of each push seen within the freshness window (WECHAT_MAX_SKEW_SECONDS), with a
 * hash of its body: WeChat's plain signature covers only (token, timestamp, nonce), so a captured
 * query is otherwise good for any body until it goes stale. The same query with the same body is
 * WeChat retrying; with another body it is a replay.
 *
 * Keyed by the signature, which stands for its timestamp and nonce (it is their SHA-1 with the
 * token): keyed by the three, a captured query could be re-split, since the signature hashes the
 * three sorted and joined without a separator (timestamp 12 + nonce 345 and 123 + 45 sign alike).
 * Binary, so the key compares as bytes whatever the database's collation. A row is useless once its
 * timestamp is outside the window (the query check refuses it first), and the sweep deletes it then.
 */
export const webhookNonces = pgTable('webhook_nonces', {
  signature: bytea().primaryKey(),
  // Seconds, as in the query: what the sweep goes by.
  timestamp: bigint({ mode: 'number' }).notNull(),
  // Empty in a query saved from PGlite's memory at a clean stop (db/queries/memory-replay-store.ts
  // does not keep it: the signature stands for it).
  nonce: text().notNull(),
  // sha256 of the raw body, base64url.
  bodyHash: text().notNull(),
});
