DROP INDEX "inbound_messages_openid_received_idx";--> statement-breakpoint
ALTER TABLE "inbound_messages" ALTER COLUMN "id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "inbound_messages" ALTER COLUMN "id" SET MAXVALUE 9223372036854775807;