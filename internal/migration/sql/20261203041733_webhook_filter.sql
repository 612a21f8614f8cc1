-- Modify "webhook_counters" table
ALTER TABLE "webhook_counters" ADD COLUMN "filtered" bigint NOT NULL DEFAULT 0;
-- Modify "webhooks" table
ALTER TABLE "webhooks" ADD COLUMN "filter" character varying NULL;
