CREATE TYPE "public"."recipe_build_status" AS ENUM('planning', 'running', 'merging', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."recipe_build_part_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "recipe_builds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipe" text NOT NULL,
	"request" jsonb NOT NULL,
	"dataset" text NOT NULL,
	"version" text NOT NULL,
	"title" text NOT NULL,
	"status" "recipe_build_status" DEFAULT 'planning' NOT NULL,
	"error" text,
	"owner_id" uuid,
	"build_dir" text NOT NULL,
	"files_total" integer DEFAULT 0 NOT NULL,
	"dataset_version_id" uuid,
	"step_claim" uuid,
	"step_heartbeat_at" timestamp with time zone,
	"step_attempts" integer DEFAULT 0 NOT NULL,
	"step_queued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recipe_build_parts" (
	"build_id" uuid NOT NULL,
	"part_index" integer NOT NULL,
	"sample" text NOT NULL,
	"variation" text,
	"file" text NOT NULL,
	"status" "recipe_build_part_status" DEFAULT 'queued' NOT NULL,
	"entries_done" bigint DEFAULT 0 NOT NULL,
	"entries_total" bigint,
	"selected_events" bigint,
	"claim" uuid,
	"worker" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"queued_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "recipe_build_parts_build_id_part_index_pk" PRIMARY KEY("build_id","part_index")
);
--> statement-breakpoint
ALTER TABLE "recipe_builds" ADD CONSTRAINT "recipe_builds_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipe_builds" ADD CONSTRAINT "recipe_builds_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipe_build_parts" ADD CONSTRAINT "recipe_build_parts_build_id_recipe_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."recipe_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recipe_builds_status_idx" ON "recipe_builds" USING btree ("status");--> statement-breakpoint
CREATE INDEX "recipe_builds_owner_idx" ON "recipe_builds" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "recipe_build_parts_status_idx" ON "recipe_build_parts" USING btree ("status");