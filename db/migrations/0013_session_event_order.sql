-- WeChat's accept, switch and close pushes can arrive out of order (a close before its accept, two
-- switches reversed). Each session keeps the event time (CreateTime) of the latest one applied, so an
-- older one that arrives later changes nothing (lib/kf/flow.ts).
ALTER TABLE "customer_sessions" ADD COLUMN "kf_event_at" timestamp with time zone;