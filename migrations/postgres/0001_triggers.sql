-- What the SQLite migrations 0005 and 0006 keep in triggers, and the change notifications.
-- Like 0000_init.sql, nothing here names a schema: the tables, functions and triggers are
-- made in whatever schema is first on search_path. Each function is pinned to the
-- search_path it was created under (SET search_path FROM CURRENT), so its unqualified
-- table names mean this schema's tables whatever the search_path of the session that
-- fires it.

-- The catalogue epoch (import_state in src/storage/postgres/schema.ts): any change or
-- deletion of a category, tag or media item can change what an import line means, so it
-- moves the epoch and every remembered line is checked in full again.
INSERT INTO catalog_epoch (id, value) VALUES (1, 0);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION khabar_catalog_epoch_bump() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE catalog_epoch SET value = value + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_epoch_categories AFTER UPDATE OR DELETE ON categories FOR EACH STATEMENT EXECUTE FUNCTION khabar_catalog_epoch_bump();
--> statement-breakpoint
CREATE TRIGGER catalog_epoch_tags AFTER UPDATE OR DELETE ON tags FOR EACH STATEMENT EXECUTE FUNCTION khabar_catalog_epoch_bump();
--> statement-breakpoint
CREATE TRIGGER catalog_epoch_media AFTER UPDATE OR DELETE ON media FOR EACH STATEMENT EXECUTE FUNCTION khabar_catalog_epoch_bump();
--> statement-breakpoint
-- An article whose version moves on (any edit: PATCH, trash, restore, a media change, a
-- renamed tag) forgets the line it was imported from, so a re-import checks that line in
-- full (SQLite migration 0006).
CREATE OR REPLACE FUNCTION khabar_import_state_forget() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM import_state WHERE article_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER import_state_forget AFTER UPDATE OF version ON articles FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION khabar_import_state_forget();
--> statement-breakpoint
-- Every khabar process LISTENs on the channel khabar_changes to learn that its public
-- response cache is stale: any write to any table of the schema notifies it. NOTIFY is
-- delivered at commit, once per transaction per payload (however many statements and
-- tables it touched), and never for a transaction that rolled back. The payload is the
-- schema, so processes on other schemas of the same database (the tests) ignore it.
CREATE OR REPLACE FUNCTION khabar_notify_change() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_notify('khabar_changes', current_schema());
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tags FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_tags FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_media FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_views_daily FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_revisions FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON slug_history FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON import_state FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog_epoch FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
--> statement-breakpoint
CREATE TRIGGER khabar_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_index FOR EACH STATEMENT EXECUTE FUNCTION khabar_notify_change();
