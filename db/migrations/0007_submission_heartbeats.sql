ALTER TABLE "submissions" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "scoring_attempts" integer DEFAULT 0 NOT NULL;