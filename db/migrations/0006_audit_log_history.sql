-- The audit page pages newest first by (created_at, id); this index replaces created_at alone.
DROP INDEX "audit_log_created_at_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "kind" text GENERATED ALWAYS AS (split_part(action, '.', 1)) STORED;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "changes" jsonb;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "ip" text;--> statement-breakpoint
-- The audit page, unfiltered: keyset pages newest first, read backwards (db/queries/audit-log.ts listAuditPage).
CREATE INDEX "audit_log_created_at_id_idx" ON "audit_log" USING btree ("created_at","id");--> statement-breakpoint
-- The audit page filtered by person; also serves the users FK when a user is deleted.
CREATE INDEX "audit_log_user_created_at_idx" ON "audit_log" USING btree ("user_id","created_at","id");--> statement-breakpoint
-- The audit page filtered by kind (users, settings, sign-ins…).
CREATE INDEX "audit_log_kind_created_at_idx" ON "audit_log" USING btree ("kind","created_at","id");--> statement-breakpoint
-- Append-only: no UPDATE or DELETE, whoever asks. The one update allowed is the users FK's
-- ON DELETE SET NULL, which changes nothing but user_id. (A separate database role for the app,
-- without DELETE on this table, is the deployment's choice; this holds even without one.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
     AND (NEW.id, NEW.action, NEW.target, NEW.detail, NEW.changes, NEW.ip, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.action, OLD.target, OLD.detail, OLD.changes, OLD.ip, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
