-- Announce changes to the rows hookd processes cache (API tokens, event
-- types, the columns of webhooks that routing reads) on the live channel,
-- from whatever writes them, when the writing transaction commits.
CREATE FUNCTION "hookd_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := OLD;
  ELSE
    r := NEW;
  END IF;
  PERFORM pg_notify('hookd_live', json_build_object('k', 'changed', 'c', TG_TABLE_NAME, 's', r.workspace_id, 'i', r.id)::text);
  RETURN NULL;
END
$$;
-- API tokens: revoked, expired, re-scoped or deleted (not last_used_at)
CREATE TRIGGER "api_tokens_changed" AFTER UPDATE ON "api_tokens" FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.role IS DISTINCT FROM NEW.role OR OLD.admin IS DISTINCT FROM NEW.admin
    OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.token_hash IS DISTINCT FROM NEW.token_hash)
  EXECUTE FUNCTION "hookd_notify_change"();
CREATE TRIGGER "api_tokens_deleted" AFTER DELETE ON "api_tokens" FOR EACH ROW EXECUTE FUNCTION "hookd_notify_change"();
-- Event types: any change
CREATE TRIGGER "event_types_changed" AFTER INSERT OR UPDATE OR DELETE ON "event_types" FOR EACH ROW EXECUTE FUNCTION "hookd_notify_change"();
-- Webhooks: created, deleted, or changed in what routing reads
CREATE TRIGGER "webhooks_created" AFTER INSERT OR DELETE ON "webhooks" FOR EACH ROW EXECUTE FUNCTION "hookd_notify_change"();
CREATE TRIGGER "webhooks_changed" AFTER UPDATE ON "webhooks" FOR EACH ROW
  WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.events IS DISTINCT FROM NEW.events
    OR OLD.entity_type IS DISTINCT FROM NEW.entity_type OR OLD.entity_id IS DISTINCT FROM NEW.entity_id
    OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
  EXECUTE FUNCTION "hookd_notify_change"();
