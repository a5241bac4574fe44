CREATE TABLE "followers" (
	"openid" text PRIMARY KEY NOT NULL,
	"subscribed" boolean DEFAULT true NOT NULL,
	"message_sends_left" integer DEFAULT 0 NOT NULL,
	"message_grant_expires_at" timestamp with time zone,
	"event_sends_left" integer DEFAULT 0 NOT NULL,
	"event_grant_expires_at" timestamp with time zone,
	"last_interaction_at" timestamp with time zone DEFAULT now() NOT NULL
);
