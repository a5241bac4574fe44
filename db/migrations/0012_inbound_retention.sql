-- The push ledger (inbound_messages) is now kept PUSH_RETENTION_DAYS (lib/kf/push-retention.ts).
-- Its (openid, received_at) index was read by nothing but tests, and cost every push an index
-- insert: about a tenth of the database's work for an ordinary push (docs/benchmarks.md). The id
-- becomes a bigint: one row per push would pass integer's 2.1 billion on a busy account. This
-- rewrites the table, holding it while it runs (17 s for 3 million rows here; README).
DROP INDEX "inbound_messages_openid_received_idx";--> statement-breakpoint
ALTER TABLE "inbound_messages" ALTER COLUMN "id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "inbound_messages" ALTER COLUMN "id" SET MAXVALUE 9223372036854775807;