CREATE TYPE "public"."submission_source" AS ENUM('upload', 'api', 'browser-baseline');--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "source" "submission_source" DEFAULT 'upload' NOT NULL;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "replicas" double precision[];--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "replica_count" integer;