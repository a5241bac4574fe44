CREATE TABLE "session_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "session_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kf_account" text,
	"from_kf_account" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "transcript_sync_windows" (
	"window_start" integer PRIMARY KEY NOT NULL,
	"next_msgid" integer DEFAULT 1 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "customer_sessions_status_queued_idx";--> statement-breakpoint
DROP INDEX "session_messages_record_key";--> statement-breakpoint
ALTER TABLE "session_messages" ADD COLUMN "occurrence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_customer_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."customer_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- session_events_session_idx: a session's timeline (db/queries/session-history.ts) and the accepting agent in metrics
CREATE INDEX "session_events_session_idx" ON "session_events" USING btree ("session_id","at");--> statement-breakpoint
-- customer_sessions_queued_id_idx: /sessions newest first, keyset on (queued_at, id); metrics and export by date range
CREATE INDEX "customer_sessions_queued_id_idx" ON "customer_sessions" USING btree ("queued_at","id");--> statement-breakpoint
-- customer_sessions_agent_status_queued_idx: /sessions filtered by agent, or agent and status, keyset on (queued_at, id)
CREATE INDEX "customer_sessions_agent_status_queued_idx" ON "customer_sessions" USING btree ("kf_account","status","queued_at","id");--> statement-breakpoint
-- customer_sessions_status_queued_id_idx: /sessions filtered by status; queue positions (replaces customer_sessions_status_queued_idx)
CREATE INDEX "customer_sessions_status_queued_id_idx" ON "customer_sessions" USING btree ("status","queued_at","id");--> statement-breakpoint
-- session_messages_sent_idx: the transcript export by date range
CREATE INDEX "session_messages_sent_idx" ON "session_messages" USING btree ("sent_at");--> statement-breakpoint
-- session_messages_record_key: the transcript pull stores each WeChat record once (occurrence tells identical lines apart; md5 keeps long lines under the btree limit)
CREATE UNIQUE INDEX "session_messages_record_key" ON "session_messages" USING btree ("openid","sent_at","opercode",md5("text"),"occurrence");