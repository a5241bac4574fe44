import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * The query of each push seen within the freshness window (WECHAT_MAX_SKEW_SECONDS), with a hash of
 * its body: WeChat's plain signature covers only (token, timestamp, nonce), so a captured query is
 * otherwise good for any body until it goes stale. The same query with the same body is WeChat
 * retrying; with another body it is a replay. A row is useless once its timestamp is outside the
 * window (the query check refuses it first), and the sweep deletes it then.
 */
export const webhookNonces = pgTable(
  'webhook_nonces',
  {
    // Seconds, as in the query. Leading the key, so the sweep deletes a range of it.
    timestamp: bigint({ mode: 'number' }).notNull(),
    nonce: text().notNull(),
    signature: text().notNull(),
    // sha256 of the raw body, base64url.
    bodyHash: text().notNull(),
  },
  (t) => [primaryKey({ name: 'webhook_nonces_pkey', columns: [t.timestamp, t.nonce, t.signature] })],
);
