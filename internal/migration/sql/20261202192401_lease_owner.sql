-- Modify "deliveries" table
ALTER TABLE "deliveries" ADD COLUMN "lease_owner" integer NULL;
-- Create index "delivery_lease_owner" to table: "deliveries"
CREATE INDEX "delivery_lease_owner" ON "deliveries" ("lease_owner") WHERE (lease_until IS NOT NULL);
