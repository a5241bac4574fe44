-- Follower names: WeChat gives no nickname since 2021-12-27, only the remark staff set (user/info,
-- PROTOCOL.md §6.9). remark is WeChat's, read back by lib/kf/follower-remark-sync.ts or written by the
-- console's edit (lib/kf/follower-remarks.ts); remark_checked_at says when, so each follower is read
-- at most once a day.
ALTER TABLE "followers" ADD COLUMN "remark" text;--> statement-breakpoint
ALTER TABLE "followers" ADD COLUMN "remark_checked_at" timestamp with time zone;--> statement-breakpoint
-- followers_remark_prefix_idx: the /sessions follower filter by the start of a remark, any case
-- (db/queries/session-history.ts): lower() for case, text_pattern_ops so LIKE 'prefix%' and its
-- ~<~ order use it under any collation; only followers with a remark.
CREATE INDEX "followers_remark_prefix_idx" ON "followers" USING btree (lower("remark") text_pattern_ops) WHERE "followers"."remark" is not null;
