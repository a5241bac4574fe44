-- The metrics page's daily rollup (issue 17): per service-time-zone day and accepting agent, counts and
-- wait / handling histograms, so /metrics over 90 days reads a few thousand rows, not every session.
-- Filled by lib/kf/metrics-rollup.ts; read by db/queries/metrics.ts, which groups any day not yet here live.
CREATE TABLE "metrics_daily" (
	"timezone" text NOT NULL,
	"day" date NOT NULL,
	"kf_account" text NOT NULL,
	"sessions" integer NOT NULL,
	"served" integer NOT NULL,
	"expired" integer NOT NULL,
	"dropped" integer NOT NULL,
	"left_queue" integer NOT NULL,
	"by_hour" integer[] NOT NULL,
	"wait_buckets" integer[] NOT NULL,
	"wait_counts" integer[] NOT NULL,
	"handle_buckets" integer[] NOT NULL,
	"handle_counts" integer[] NOT NULL,
	CONSTRAINT "metrics_daily_timezone_day_kf_account_pk" PRIMARY KEY("timezone","day","kf_account")
);
--> statement-breakpoint
CREATE TABLE "metrics_rolled_days" (
	"timezone" text NOT NULL,
	"day" date NOT NULL,
	"rolled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "metrics_rolled_days_timezone_day_pk" PRIMARY KEY("timezone","day")
);
--> statement-breakpoint
CREATE INDEX "session_events_switched_at_idx" ON "session_events" USING btree ("at") WHERE "session_events"."kind" = 'switched';