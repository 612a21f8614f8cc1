-- Drop index "delivery_event_id" from table: "deliveries"
DROP INDEX "delivery_event_id";
-- Create index "delivery_event_id_webhook_id" to table: "deliveries"
CREATE UNIQUE INDEX "delivery_event_id_webhook_id" ON "deliveries" ("event_id", "webhook_id");
