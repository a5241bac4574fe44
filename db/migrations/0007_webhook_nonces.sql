-- The webhook's replay store (db/queries/replay-store.ts). UNLOGGED: written by every push but only
-- worth anything for WECHAT_MAX_SKEW_SECONDS, so it skips the WAL; after a crash Postgres (and
-- PGlite) empties it, which reopens the replay window for queries captured in the minutes before.
-- The primary key serves the batched insert's conflict check; the sweep (deleteStaleNonces) scans
-- the table, about one window of pushes, rather than every push paying for a second index.
CREATE UNLOGGED TABLE "webhook_nonces" (
	"signature" "bytea" PRIMARY KEY NOT NULL,
	"timestamp" bigint NOT NULL,
	"nonce" text NOT NULL,
	"body_hash" text NOT NULL
);
