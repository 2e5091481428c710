ALTER TABLE "dataset_versions" ADD COLUMN "is_public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "visibility_set_at" timestamp with time zone;