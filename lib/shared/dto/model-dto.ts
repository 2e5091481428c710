/** What pages and the API say about a challenge's model track (null when no phase takes models). */
export type ModelTrackDto = {
  /** The model's input: these feature columns, in this order, as one float32 tensor [N, F]. */
  inputColumns: string[];
  /** A phase takes models only: the test features (and server-only variations) are not downloadable. */
  isTestDataHidden: boolean;
  /** Per phase key: what it takes, and its model limits. */
  phases: Record<string, { submissions: 'predictions' | 'models' | 'both'; limits: ModelLimitsDto }>;
};

export type ModelLimitsDto = { maxSizeBytes: number; timeLimitSeconds: number; memoryLimitMb: number; maxOutputBytes: number; batchSize: number };

/** A model submission's figures, beside its metrics on the leaderboard and the detail page. */
export type SubmissionModelDto = {
  format: 'onnx' | 'tfjs';
  sizeBytes: number;
  runtime: string;
  /** Wall time of the last run per 1 000 events (null until a run finished). */
  msPerThousandEvents: number | null;
  events: number | null;
  peakMemoryBytes: number | null;
  /** TIMEOUT, OUT_OF_MEMORY, BAD_OUTPUT or RUNTIME_ERROR when the last run failed. */
  failureKind: string | null;
  /** Whether the submitter can download the predictions the run produced. */
  hasPredictions: boolean;
};
