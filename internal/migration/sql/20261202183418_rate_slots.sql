-- The rows held one-second windows' counts, which mean nothing to slots:
-- each webhook's row is made again by its next request.
DELETE FROM "webhook_rate_windows";
-- Modify "webhook_rate_windows" table
ALTER TABLE "webhook_rate_windows" DROP COLUMN "window_start", DROP COLUMN "count", ADD COLUMN "next_slot" timestamptz NOT NULL, ADD COLUMN "granted" timestamptz NULL;
