-- Modify "api_tokens" table
ALTER TABLE "api_tokens" ADD COLUMN "entity_type" character varying NULL, ADD COLUMN "entity_id" character varying NULL;
