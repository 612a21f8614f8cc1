-- Modify "deliveries" table
ALTER TABLE "deliveries" ADD COLUMN "schedule_offset" bigint NOT NULL DEFAULT 0;
