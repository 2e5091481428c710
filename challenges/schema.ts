import { z } from 'zod';
import { getMetric, isMetricId } from '@/scoring/registry';

/**
 * The typed challenge definition. Built-in challenges in challenges/<slug>/ and definitions uploaded by organisers
 * are both validated by this schema, so a broken definition fails the build and the tests, not a participant.
 */
const metricIdSchema = z.string().refine(isMetricId, { error: (issue) => `unknown metric id "${String(issue.input)}"` });

export const challengeTasks = ['binary-classification', 'interval-estimation', 'track-assignment'] as const;
export type ChallengeTask = (typeof challengeTasks)[number];

/** The metric family (registry `task`) of each challenge task. */
export const metricTaskOf = { 'binary-classification': 'binary', 'interval-estimation': 'interval', 'track-assignment': 'tracking' } as const satisfies Record<
  ChallengeTask,
  string
>;

/** Most final submissions a participant or team may select for the private board. */
export const maxFinalSelections = 2;

export const variationSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'variation names use lower-case letters, digits, "_", "-" and "."' }),
  /** Systematic group, e.g. "cluster"; groups add in quadrature. */
  group: z.string().min(1),
  /** The opposite member of an up/down pair (declared on one side is enough). */
  pairedWith: z.string().optional(),
  /** Shown in the leaderboard column header and the data page. */
  label: z.string().min(1),
  /**
   * Exists only on the server: its test features are never downloadable and only submitted models are run on it,
   * so its robustness column measures generalisation, not tuning. Allowed when every phase takes models only.
   */
  serverOnly: z.boolean().optional(),
});

/** What a phase accepts: predictions files, models (ONNX or TF.js, run on the server on hidden data), or either. */
export const phaseSubmissionKinds = ['predictions', 'models', 'both'] as const;
export type PhaseSubmissionKind = (typeof phaseSubmissionKinds)[number];

/** Default limits of a model run (per phase); see `modelLimitsSchema`. */
export const defaultModelLimits = { maxSizeBytes: 100 * 1024 * 1024, timeLimitSeconds: 300, memoryLimitMb: 2048, maxOutputBytes: 64 * 1024 * 1024, batchSize: 8192 } as const;

/** Limits of one model run: a model that exceeds one ends `failed` with TIMEOUT, OUT_OF_MEMORY or BAD_OUTPUT. */
export const modelLimitsSchema = z.object({
  /** Largest accepted model file (an ONNX file, or a TF.js zip), checked as it streams in. */
  maxSizeBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(defaultModelLimits.maxSizeBytes),
  /** Wall time of the whole run (the nominal test set and every variation). */
  timeLimitSeconds: z.number().int().min(1).max(24 * 3600).default(defaultModelLimits.timeLimitSeconds),
  /** Resident memory of the sandboxed runtime process. */
  memoryLimitMb: z.number().int().min(256).max(65_536).default(defaultModelLimits.memoryLimitMb),
  /** Largest output tensor of one batch, in bytes. */
  maxOutputBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(defaultModelLimits.maxOutputBytes),
  /** Events per inference call; memory is bounded by it, not by the number of events. */
  batchSize: z.number().int().min(1).max(1_000_000).default(defaultModelLimits.batchSize),
}).refine((l) => l.maxOutputBytes >= l.batchSize * 2 * 4, {
  error: 'maxOutputBytes must hold a two-class float32 output of a whole batch (batchSize × 8 bytes)',
  path: ['maxOutputBytes'],
});
export type ModelLimits = z.infer<typeof modelLimitsSchema>;

export const phaseDefinitionSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    title: z.string().min(1),
    opensAt: z.iso.datetime({ offset: true }),
    /** Null: the phase stays open until an organiser closes it. */
    closesAt: z.iso.datetime({ offset: true }).nullable(),
    maxPerDay: z.number().int().positive(),
    maxTotal: z.number().int().positive().nullable().default(null),
    /** `models` and `both`: participants may upload an ONNX or TF.js model; in a `models` phase the test features stay on the server. */
    submissions: z.enum(phaseSubmissionKinds).optional(),
    /** Defaults in `defaultModelLimits` (read through `findPhaseDefinition`). */
    modelLimits: modelLimitsSchema.optional(),
  })
  .refine((p) => p.closesAt === null || Date.parse(p.closesAt) > Date.parse(p.opensAt), {
    error: 'closesAt must be after opensAt',
    path: ['closesAt'],
  });

export const challengeDefinitionSchema = z
  .object({
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'slug: lower-case letters, digits and dashes' })
      // The organiser pages /organise/new and /organise/builds would hide a challenge of that name.
      .refine((slug) => !['new', 'builds'].includes(slug), { error: 'slug: "new" and "builds" name organiser pages; choose another slug' }),
    revision: z.number().int().positive(),
    title: z.string().min(1).max(200),
    summary: z.string().min(1).max(500),
    /**
     * binary-classification: one `id,score` row per test event (plus a `variation` column when the challenge scores
     * systematic variations). interval-estimation: one `pe_id,mu_hat,delta_mu_hat,p16,p84` row per pseudo-experiment.
     * track-assignment: one `event_id,hit_id,track_id` row per hit of every test event (the Kaggle TrackML format).
     */
    task: z.enum(challengeTasks),
    dataset: z.object({ id: z.string().min(1), version: z.string().min(1) }),
    metrics: z
      .array(z.object({ id: metricIdSchema, primary: z.boolean().default(false), precision: z.number().int().min(0).max(10).default(4) }))
      .min(1),
    /** How scores are computed: bootstrap replicas behind every CI, and the metrics' parameters. */
    scoring: z
      .object({
        /** Replicas per split for the live leaderboard (METRICS.md: 200 live). */
        bootstrapReplicas: z.number().int().min(20).max(2000).default(200),
        /** Selection cut for `ams`, `accuracy` and `significance_asimov`. */
        threshold: z.number().gt(0).lt(1).default(0.5),
        /** Relative background uncertainty r of `significance_asimov`. */
        backgroundRelativeUncertainty: z.number().min(0).max(10).default(0),
        /**
         * Systematic variation test sets (binary tasks; dataset files `test@<name>`) that every submission is also
         * scored on. Robustness per metric = quadrature sum over groups of the relative shifts, an up/down pair
         * contributing the larger of its two (ATLAS top-tagging recipe).
         */
        variations: z.array(variationSchema).default([]),
      })
      .prefault({}),
    splits: z.object({
      /** Fraction of test events on the public board (SplitMix64 rule of METRICS.md). */
      publicFraction: z.number().gt(0).lt(1),
      seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    }),
    phases: z.array(phaseDefinitionSchema).min(1),
    /**
     * The input of submitted models (required when a phase takes models): the feature columns in this order, as
     * one float32 tensor of shape [N, F]. Outputs accepted: [N] or [N, 1] (a probability), [N, 2] (column 1 is the score).
     */
    model: z.object({ inputColumns: z.array(z.string().min(1)).min(1), dtype: z.literal('float32').default('float32') }).optional(),
    /** Markdown pages by tab name; built-in challenges load them from their folder. */
    pages: z.object({ overview: z.string(), evaluation: z.string(), data: z.string(), terms: z.string() }),
  })
  .refine((d) => d.metrics.filter((m) => m.primary).length === 1, {
    error: 'exactly one metric must be marked primary',
    path: ['metrics'],
  })
  .refine((d) => d.metrics.every((m) => getMetric(m.id).task === metricTaskOf[d.task]), {
    error: 'metrics must belong to the task: binary metrics for binary-classification, interval metrics for interval-estimation, tracking metrics for track-assignment',
    path: ['metrics'],
  })
  .refine((d) => d.task === 'binary-classification' || d.scoring.variations.length === 0, {
    error: 'systematic variations are scored for binary-classification challenges only',
    path: ['scoring', 'variations'],
  })
  .refine((d) => new Set(d.scoring.variations.map((v) => v.name)).size === d.scoring.variations.length && d.scoring.variations.every((v) => v.name !== 'nominal'), {
    error: 'variation names must be unique and not "nominal"',
    path: ['scoring', 'variations'],
  })
  .refine((d) => d.phases.every((p) => (p.submissions ?? 'predictions') === 'predictions') || (d.model !== undefined && d.task === 'binary-classification'), {
    error: 'a phase that takes models needs the model input declared (model.inputColumns), and models are run for binary-classification challenges only',
    path: ['model'],
  })
  .refine((d) => d.model === undefined || new Set(d.model.inputColumns).size === d.model.inputColumns.length, {
    error: 'model.inputColumns must not repeat a column',
    path: ['model', 'inputColumns'],
  })
  .refine((d) => !d.phases.some((p) => p.submissions === 'models') || d.phases.every((p) => p.submissions === 'models'), {
    error: 'a phase that takes models only keeps the test features on the server, so no phase of the same challenge can take predictions; use "both", or two challenges',
    path: ['phases'],
  })
  .refine((d) => d.scoring.variations.every((v) => !v.serverOnly) || d.phases.every((p) => p.submissions === 'models'), {
    error: 'server-only variations need every phase to take models only (participants cannot predict data they never see)',
    path: ['scoring', 'variations'],
  })
  .refine((d) => new Set(d.phases.map((p) => p.key)).size === d.phases.length, {
    error: 'phase keys must be unique',
    path: ['phases'],
  });

export type ChallengeDefinition = z.infer<typeof challengeDefinitionSchema>;
export type PhaseDefinition = z.infer<typeof phaseDefinitionSchema>;

/** Validates a definition at import time and names every problem, so `next build` and the tests fail on it. */
export function defineChallenge(input: z.input<typeof challengeDefinitionSchema>): ChallengeDefinition {
  const result = challengeDefinitionSchema.safeParse(input);
  if (!result.success) {
    const where = typeof input === 'object' && input && 'slug' in input ? String(input.slug) : 'unknown';
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`challenge definition "${where}" is invalid: ${problems}`);
  }
  return result.data;
}
