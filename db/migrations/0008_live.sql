ALTER TABLE "customer_sessions" ADD COLUMN "ended_by_user_id" integer;--> statement-breakpoint
ALTER TABLE "customer_sessions" ADD CONSTRAINT "customer_sessions_ended_by_user_id_users_id_fk" FOREIGN KEY ("ended_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The live page's "served today" and "expired today" counters (db/queries/live-queue.ts).
CREATE INDEX "customer_sessions_started_at_idx" ON "customer_sessions" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "customer_sessions_ended_at_idx" ON "customer_sessions" USING btree ("ended_at");--> statement-breakpoint
-- The live page's push (issue 16): every statement that inserts or changes customer sessions (the
-- webhook's keyword batch, kf_* events, expiry, console actions, reconciliation) NOTIFYs channel
-- wekf_live once, with the changed ids (at most 50; "more" says the list was cut) and never any
-- content. Once per statement, not per row: a batch of 200 keywords is one notification, and a
-- statement that changed nothing (the batch's expiry UPDATE, mostly) sends none. Postgres delivers
-- it only when the transaction commits.
CREATE FUNCTION wekf_notify_live_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids jsonb;
  changed integer;
BEGIN
  SELECT count(*), jsonb_agg(id) FILTER (WHERE n <= 50) INTO changed, ids
    FROM (SELECT id, row_number() OVER () AS n FROM changed_sessions) s;
  IF changed > 0 THEN
    PERFORM pg_notify('wekf_live', jsonb_build_object('kind', 'sessions', 'ids', ids, 'more', changed > 50)::text);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER customer_sessions_live_insert AFTER INSERT ON customer_sessions
  REFERENCING NEW TABLE AS changed_sessions FOR EACH STATEMENT EXECUTE FUNCTION wekf_notify_live_sessions();--> statement-breakpoint
CREATE TRIGGER customer_sessions_live_update AFTER UPDATE ON customer_sessions
  REFERENCING NEW TABLE AS changed_sessions FOR EACH STATEMENT EXECUTE FUNCTION wekf_notify_live_sessions();
