CREATE TYPE "public"."user_role" AS ENUM('admin', 'operator');--> statement-breakpoint
CREATE TYPE "public"."agent_status" AS ENUM('invited', 'active', 'rejected', 'expired', 'removed');--> statement-breakpoint
CREATE TYPE "public"."session_status" AS ENUM('waiting', 'active', 'closed', 'expired', 'abandoned');--> statement-breakpoint
CREATE TYPE "public"."inbound_state" AS ENUM('processing', 'done');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer,
	"action" text NOT NULL,
	"target" text,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'operator' NOT NULL,
	"session_version" integer DEFAULT 1 NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kf_account" text NOT NULL,
	"nickname" text NOT NULL,
	"invite_wx" text,
	"kf_wx" text,
	"kf_id" text,
	"kf_openid" text,
	"status" "agent_status" DEFAULT 'invited' NOT NULL,
	"invite_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"openid" text NOT NULL,
	"status" "session_status" DEFAULT 'waiting' NOT NULL,
	"kf_account" text,
	"closed_by_kf_account" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"wait_expires_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "session_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer,
	"openid" text NOT NULL,
	"kf_account" text,
	"opercode" integer NOT NULL,
	"text" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"dedupe_key" text NOT NULL,
	"openid" text NOT NULL,
	"msg_type" text NOT NULL,
	"event" text,
	"summary" text,
	"state" "inbound_state" DEFAULT 'processing' NOT NULL,
	"reply" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"openid" text NOT NULL,
	"payload" jsonb NOT NULL,
	"priority" integer DEFAULT 5 NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_errcode" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wechat_tokens" (
	"app_id" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_messages" ADD CONSTRAINT "session_messages_session_id_customer_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."customer_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- audit_log_created_at_idx: the audit page lists newest first
CREATE INDEX "audit_log_created_at_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
-- login_attempts_locked_until_idx: finding and clearing expired sign-in locks
CREATE INDEX "login_attempts_locked_until_idx" ON "login_attempts" USING btree ("locked_until");--> statement-breakpoint
-- users_email_lower_key: sign-in looks users up by lower(email); also keeps emails unique regardless of case
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
-- agents_kf_account_key: kf events and the agents page look agents up by kf_account
CREATE UNIQUE INDEX "agents_kf_account_key" ON "agents" USING btree ("kf_account");--> statement-breakpoint
-- customer_sessions_one_open_per_openid: one open session per follower; findOpenSession and the webhook hot path look it up by openid
CREATE UNIQUE INDEX "customer_sessions_one_open_per_openid" ON "customer_sessions" USING btree ("openid") WHERE "customer_sessions"."status" in ('waiting', 'active');--> statement-breakpoint
-- customer_sessions_status_queued_idx: queue positions and the live queue: waiting sessions in arrival order
CREATE INDEX "customer_sessions_status_queued_idx" ON "customer_sessions" USING btree ("status","queued_at");--> statement-breakpoint
-- customer_sessions_openid_idx: a follower's session history
CREATE INDEX "customer_sessions_openid_idx" ON "customer_sessions" USING btree ("openid","queued_at");--> statement-breakpoint
-- session_messages_session_idx: a session transcript in time order
CREATE INDEX "session_messages_session_idx" ON "session_messages" USING btree ("session_id","sent_at");--> statement-breakpoint
-- session_messages_record_key: chat records pulled twice are stored once
CREATE UNIQUE INDEX "session_messages_record_key" ON "session_messages" USING btree ("openid","sent_at","opercode","text");--> statement-breakpoint
-- inbound_messages_dedupe_key: dedupe: one row per MsgId or event key
CREATE UNIQUE INDEX "inbound_messages_dedupe_key" ON "inbound_messages" USING btree ("dedupe_key");--> statement-breakpoint
-- inbound_messages_openid_received_idx: a follower's recent messages
CREATE INDEX "inbound_messages_openid_received_idx" ON "inbound_messages" USING btree ("openid","received_at");--> statement-breakpoint
-- outbox_due_idx: the dispatcher claim query (replaced in 0002)
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
-- outbox_openid_idx: a follower's outbound messages
CREATE INDEX "outbox_openid_idx" ON "outbox" USING btree ("openid","created_at");