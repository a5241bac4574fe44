-- The outbox's rows still to send get a table of their own (issue 19). The claim used to walk a
-- partial index on the outbox (priority, id) WHERE status in ('pending', 'sending'): since status
-- was in an index predicate, the dispatcher's two updates of every row (claimed, then sent) were
-- never HOT, so each rewrote all the outbox's indexes, and the outbox keeps every row for good.
-- outbox_due lists just the backlog, in claim order; triggers keep it, so every writer of the outbox
-- (the webhook's statements, enqueueOutbox, anything later) keeps it right without knowing of it.
CREATE TABLE "outbox_due" (
	"priority" integer NOT NULL,
	"outbox_id" integer NOT NULL,
	CONSTRAINT "outbox_due_priority_outbox_id_pk" PRIMARY KEY("priority","outbox_id")
);
--> statement-breakpoint
INSERT INTO "outbox_due" ("priority", "outbox_id")
SELECT "priority", "id" FROM "outbox" WHERE "status" in ('pending', 'sending');
--> statement-breakpoint
-- A row is due while its status is pending or sending; its entry moves when its priority does.
CREATE FUNCTION wekf_outbox_due_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('pending', 'sending') THEN
    DELETE FROM outbox_due WHERE priority = OLD.priority AND outbox_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('pending', 'sending') THEN
    INSERT INTO outbox_due (priority, outbox_id) VALUES (NEW.priority, NEW.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- WHEN keeps the function out of the common updates: a claim (pending → sending) stays due.
CREATE TRIGGER "outbox_due_on_insert" AFTER INSERT ON "outbox" FOR EACH ROW
  WHEN (NEW.status IN ('pending', 'sending'))
  EXECUTE FUNCTION wekf_outbox_due_sync();
--> statement-breakpoint
CREATE TRIGGER "outbox_due_on_update" AFTER UPDATE OF "status", "priority" ON "outbox" FOR EACH ROW
  WHEN ((OLD.status IN ('pending', 'sending')) IS DISTINCT FROM (NEW.status IN ('pending', 'sending')) OR OLD.priority IS DISTINCT FROM NEW.priority)
  EXECUTE FUNCTION wekf_outbox_due_sync();
--> statement-breakpoint
CREATE TRIGGER "outbox_due_on_delete" AFTER DELETE ON "outbox" FOR EACH ROW
  WHEN (OLD.status IN ('pending', 'sending'))
  EXECUTE FUNCTION wekf_outbox_due_sync();
--> statement-breakpoint
DROP INDEX "outbox_claim_order_idx";
--> statement-breakpoint
-- Pages filled to 70 % keep room for a row's next versions beside it, which HOT needs.
ALTER TABLE "outbox" SET (fillfactor = 70);
