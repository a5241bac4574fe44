DROP INDEX "outbox_due_idx";--> statement-breakpoint
-- outbox_claim_order_idx: the dispatcher claim query: rows still to send, in priority then id order
CREATE INDEX "outbox_claim_order_idx" ON "outbox" USING btree ("priority","id") WHERE "outbox"."status" in ('pending', 'sending');