-- Create index "deliveryattempt_workspace_id_started_at" to table: "delivery_attempts"
-- (IF NOT EXISTS: on a large database, build it first without blocking attempts, with
-- CREATE INDEX CONCURRENTLY and this same definition; see CHANGELOG.md.)
CREATE INDEX IF NOT EXISTS "deliveryattempt_workspace_id_started_at" ON "delivery_attempts" ("workspace_id", "started_at") INCLUDE ("success");
