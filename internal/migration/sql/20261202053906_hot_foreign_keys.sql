-- Modify "deliveries" table
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_webhooks_deliveries", DROP CONSTRAINT "deliveries_workspaces_deliveries";
-- Modify "delivery_attempts" table
ALTER TABLE "delivery_attempts" DROP CONSTRAINT "delivery_attempts_webhooks_attempts", DROP CONSTRAINT "delivery_attempts_workspaces_attempts";
-- Create index "deliveryattempt_test_run_id" to table: "delivery_attempts"
CREATE INDEX "deliveryattempt_test_run_id" ON "delivery_attempts" ("test_run_id") WHERE (test_run_id IS NOT NULL);
-- Modify "events" table
ALTER TABLE "events" DROP CONSTRAINT "events_workspaces_events";
-- Create index "testrun_webhook_id" to table: "test_runs"
CREATE INDEX "testrun_webhook_id" ON "test_runs" ("webhook_id");
-- Modify "webhook_counters" table
ALTER TABLE "webhook_counters" DROP CONSTRAINT "webhook_counters_webhooks_counters";
-- Modify "webhook_rate_windows" table
ALTER TABLE "webhook_rate_windows" DROP CONSTRAINT "webhook_rate_windows_webhooks_rate_window";
