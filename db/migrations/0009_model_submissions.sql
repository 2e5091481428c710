CREATE TYPE "public"."model_format" AS ENUM('onnx', 'tfjs');--> statement-breakpoint
CREATE TYPE "public"."model_output_layout" AS ENUM('probability', 'two-class');--> statement-breakpoint
CREATE TABLE "submission_models" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"format" "model_format" NOT NULL,
	"size_bytes" bigint NOT NULL,
	"runtime" text NOT NULL,
	"input_name" text NOT NULL,
	"output_layout" "model_output_layout" NOT NULL,
	"events" integer,
	"inference_ms" double precision,
	"peak_memory_bytes" bigint,
	"predictions_sha256" text,
	"failure_kind" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ran_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "submission_models" ADD CONSTRAINT "submission_models_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;