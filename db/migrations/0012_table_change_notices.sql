-- Every write to a table that per-process caches read from announces the table's name on the channel
-- hep_arena_tables (delivered when the writing transaction commits, once per table and transaction), so that
-- a process that listens can drop what it cached from that table. See lib/server/cache/.
CREATE FUNCTION "hep_arena_announce_table_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hep_arena_tables', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "users_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "user_sessions_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user_sessions" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "api_tokens_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_tokens" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "challenges_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "challenges" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "phases_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "phases" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "dataset_versions_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dataset_versions" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
--> statement-breakpoint
CREATE TRIGGER "submissions_announce_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "submissions" FOR EACH STATEMENT EXECUTE FUNCTION "hep_arena_announce_table_change"();
