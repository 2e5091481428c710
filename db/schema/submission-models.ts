import { bigint, doublePrecision, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';
import { submissions } from './submissions';

/** How a submitted model is stored: an ONNX file, or a TF.js model.json zipped with its weight files. */
export const modelFormats = ['onnx', 'tfjs'] as const;
export const modelFormat = pgEnum('model_format', modelFormats);

/** [N] / [N, 1]: the output is the score; [N, 2]: column 1 is. */
export const modelOutputLayouts = ['probability', 'two-class'] as const;
export const modelOutputLayout = pgEnum('model_output_layout', modelOutputLayouts);

/**
 * A submission that is a model rather than a predictions file (the submission's sha256 is the model file's). The
 * scoring job runs it on the hidden test sets; the predictions it produced are stored in the blob store like an
 * uploaded file, and the run's figures are kept for the leaderboard and the detail page.
 */
export const submissionModels = pgTable('submission_models', {
  submissionId: uuid('submission_id')
    .primaryKey()
    .references(() => submissions.id, { onDelete: 'cascade' }),
  format: modelFormat('format').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  /** The runtime that checked the model at upload, e.g. "onnxruntime-node 1.31.1". */
  runtime: text('runtime').notNull(),
  inputName: text('input_name').notNull(),
  outputLayout: modelOutputLayout('output_layout').notNull(),
  /** Events predicted by the last completed run (nominal test set and every variation). */
  events: integer('events'),
  /** Wall time of that run, from the first batch to the last score. */
  inferenceMs: doublePrecision('inference_ms'),
  peakMemoryBytes: bigint('peak_memory_bytes', { mode: 'number' }),
  /** Blob of the predictions file the run wrote (`variation,id,score` or `id,score`). */
  predictionsSha256: text('predictions_sha256'),
  /** TIMEOUT, OUT_OF_MEMORY, BAD_OUTPUT or RUNTIME_ERROR when the last run failed. */
  failureKind: text('failure_kind'),
  createdAt: createdAt(),
  ranAt: timestamp('ran_at', { withTimezone: true, mode: 'date' }),
});

export type SubmissionModel = typeof submissionModels.$inferSelect;
export type NewSubmissionModel = typeof submissionModels.$inferInsert;
