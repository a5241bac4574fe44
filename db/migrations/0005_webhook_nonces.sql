-- The webhook's replay store (db/queries/replay-store.ts). UNLOGGED: written by every push but only
-- worth anything for WECHAT_MAX_SKEW_SECONDS, so it skips the WAL; after a crash Postgres empties it,
-- which reopens the replay window for queries captured in the last few minutes, no more.
-- The primary key serves the batched insert's conflict check and, led by timestamp, the sweep's
-- range delete (deleteStaleNonces).
CREATE UNLOGGED TABLE "webhook_nonces" (
	"timestamp" bigint NOT NULL,
	"nonce" text NOT NULL,
	"signature" text NOT NULL,
	"body_hash" text NOT NULL,
	CONSTRAINT "webhook_nonces_pkey" PRIMARY KEY("timestamp","nonce","signature")
);
