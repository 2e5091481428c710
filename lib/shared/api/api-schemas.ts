import { z } from 'zod';
import { httpStatusByCode } from '@/lib/shared/app-error';

/**
 * The JSON bodies of the HTTP API as zod schemas, the source of the response schemas of the OpenAPI document
 * (lib/shared/api/build-openapi-document.ts). The DTO types stay the services' contract; `api-schemas.test.ts`
 * checks at compile time that each schema's type equals its DTO, so neither can change without the other, and the
 * integration tests parse real responses with them.
 */

const isoDateTime = z.string().meta({ format: 'date-time' });
const phaseState = z.enum(['upcoming', 'open', 'closed']);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(httpStatusByCode) as [keyof typeof httpStatusByCode, ...Array<keyof typeof httpStatusByCode>]),
      message: z.string().meta({ description: 'A full sentence: what was wrong, where, and how to fix it.' }),
      details: z
        .looseObject({
          file: z.string().optional(),
          row: z.number().optional(),
          column: z.string().optional(),
          expected: z.string().optional(),
          found: z.string().optional(),
        })
        .optional()
        .meta({ description: 'The same facts for machines: file, row (1-based line), column, expected and found values, …' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error of the API; the HTTP status follows from the code.' });

export const phaseSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    title: z.string(),
    opensAt: isoDateTime,
    closesAt: isoDateTime.nullable(),
    maxPerDay: z.number().int(),
    maxTotal: z.number().int().nullable(),
    state: phaseState,
  })
  .meta({ id: 'Phase' });

export const metricColumnSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    direction: z.enum(['maximize', 'minimize']),
    target: z.number().nullable().meta({ description: 'The ideal value when better means closer to it (coverage: 0.6827), else null.' }),
    directionText: z.string().meta({ description: '"higher is better", "lower is better" or "closest to 0.6827 is better", from the scoring registry.' }),
    directionArrow: z.string().meta({ description: '↑, ↓ or →0.6827, from the scoring registry.' }),
    primary: z.boolean(),
    precision: z.number().int(),
  })
  .meta({ id: 'MetricColumn', description: 'A metric of the challenge, with the direction that ranks it (from the scoring registry).' });

export const challengeListItemSchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    task: z.string(),
    isToy: z.boolean().meta({ description: 'Generated toy data rather than real (open) data.' }),
    openPhase: phaseSchema.nullable(),
    participantCount: z.number().int(),
    submissionCount: z.number().int(),
    isDraft: z.boolean(),
    canOrganise: z.boolean(),
  })
  .meta({ id: 'ChallengeListItem' });

const variationSchema = z.object({
  name: z.string(),
  group: z.string(),
  pairedWith: z.string().optional(),
  label: z.string(),
  serverOnly: z.boolean().optional().meta({ description: 'Scored only by submitted models: its test features never leave the server.' }),
});

const modelLimitsSchema = z
  .object({ maxSizeBytes: z.number().int(), timeLimitSeconds: z.number(), memoryLimitMb: z.number(), maxOutputBytes: z.number().int(), batchSize: z.number().int() })
  .meta({ id: 'ModelLimits' });

export const modelTrackSchema = z
  .object({
    inputColumns: z.array(z.string()).meta({ description: "The model's input: these feature columns, in this order, as one float32 tensor [N, F]." }),
    isTestDataHidden: z.boolean().meta({ description: 'A phase takes models only: the test features (and server-only variations) are not downloadable.' }),
    phases: z.record(z.string(), z.object({ submissions: z.enum(['predictions', 'models', 'both']), limits: modelLimitsSchema })),
  })
  .meta({ id: 'ModelTrack' });

export const submissionModelSchema = z
  .object({
    format: z.enum(['onnx', 'tfjs']),
    sizeBytes: z.number().int(),
    runtime: z.string(),
    msPerThousandEvents: z.number().nullable(),
    events: z.number().int().nullable(),
    peakMemoryBytes: z.number().nullable(),
    failureKind: z.string().nullable().meta({ description: 'TIMEOUT, OUT_OF_MEMORY, BAD_OUTPUT or RUNTIME_ERROR when the last run failed.' }),
    hasPredictions: z.boolean(),
  })
  .meta({ id: 'SubmissionModel', description: "A model submission's figures: format, size, inference time per 1 000 events." });

export const challengeResourceSchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    task: z.string(),
    isToy: z.boolean(),
    isDraft: z.boolean(),
    revision: z.number().int(),
    openPhase: phaseSchema.nullable(),
    phases: z.array(phaseSchema),
    metrics: z.array(metricColumnSchema),
    publicFraction: z.number(),
    scoring: z.object({
      bootstrapReplicas: z.number().int(),
      threshold: z.number(),
      backgroundRelativeUncertainty: z.number(),
      variations: z.array(variationSchema),
    }),
    submission: z.object({
      columns: z.array(z.string()).meta({ description: 'The header of a predictions file, in order.' }),
      formats: z.array(z.enum(['csv', 'arrow', 'parquet'])),
      gzip: z.boolean(),
      maxBytes: z.number().int(),
      url: z.string(),
    }),
    model: modelTrackSchema.nullable(),
    dataset: z.object({
      id: z.string(),
      version: z.string(),
      title: z.string(),
      licence: z.string(),
      citation: z.string(),
      featureColumns: z.array(z.string()),
      missingValue: z.number(),
    }),
    files: z.array(
      z.object({
        name: z.string(),
        role: z.enum(['train', 'test', 'export']),
        format: z.string(),
        sizeBytes: z.number().int(),
        rows: z.number().int(),
        sha256: z.string(),
        url: z.string(),
      }),
    ),
    leaderboardUrl: z.string(),
  })
  .meta({ id: 'Challenge', description: 'What a script needs to take part: phases and limits, metrics, the predictions columns, and every public file with its URL.' });

export const metricValueSchema = z
  .object({
    value: z.number().nullable(),
    ciLow: z.number().nullable(),
    ciHigh: z.number().nullable(),
    unbounded: z.literal(true).optional().meta({ description: 'The value is +∞ (e.g. a background rejection with no background passing); value is then null.' }),
  })
  .meta({ id: 'MetricValue', description: 'A value with its 68 % bootstrap interval (16th–84th percentile).' });

export const leaderboardEntrySchema = z
  .object({
    rank: z.number().int().nullable(),
    tieGroup: z.number().int().nullable(),
    rankInterval: z.tuple([z.number().int(), z.number().int()]).nullable(),
    userName: z.string(),
    teamName: z.string().nullable(),
    isYou: z.boolean(),
    isBaseline: z.boolean(),
    selection: z.enum(['selected', 'best-public']).nullable(),
    submissionId: z.string(),
    submittedAt: isoDateTime,
    entries: z.number().int(),
    isBrowserBaseline: z.boolean(),
    values: z.record(z.string(), metricValueSchema),
    robustness: z.record(z.string(), metricValueSchema),
    model: submissionModelSchema.nullable().optional(),
  })
  .meta({ id: 'LeaderboardEntry' });

export const leaderboardSchema = z
  .object({
    challengeSlug: z.string(),
    phaseKey: z.string(),
    split: z.enum(['public', 'private']),
    isPrivateRevealed: z.boolean(),
    phaseTitle: z.string(),
    phases: z.array(z.object({ key: z.string(), title: z.string(), state: phaseState })),
    metrics: z.array(metricColumnSchema),
    robustnessMetrics: z.array(metricColumnSchema),
    variations: z.array(z.object({ name: z.string(), label: z.string() })),
    rows: z.array(leaderboardEntrySchema),
  })
  .meta({ id: 'Leaderboard' });

export const myLeaderboardRowsSchema = z
  .object({ phaseKey: z.string(), split: z.enum(['public', 'private']), rows: z.array(leaderboardEntrySchema) })
  .meta({ id: 'MyLeaderboardRows', description: 'The caller\'s own rows of a board (their entries or their team\'s), live.' });

export const submissionStatusSchema = z.enum(['received', 'queued', 'scoring', 'scored', 'failed']).meta({ id: 'SubmissionStatus' });

const submissionShape = {
  id: z.string(),
  challengeSlug: z.string(),
  challengeTitle: z.string(),
  phaseKey: z.string(),
  fileName: z.string(),
  description: z.string().nullable().meta({ description: "The participant's short note on this entry (web form, ?description= / X-Description, arena --description), or null." }),
  sizeBytes: z.number().int(),
  rows: z.number().int(),
  sha256: z.string(),
  status: submissionStatusSchema,
  source: z.enum(['upload', 'api', 'browser-baseline']),
  teamName: z.string().nullable(),
  isFinal: z.boolean(),
  isBaseline: z.boolean(),
  error: z.string().nullable().meta({ description: 'Why a failed submission failed.' }),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  publicScores: z.record(z.string(), z.number()),
  privateScores: z.record(z.string(), z.number()).nullable(),
  model: submissionModelSchema.nullable().optional(),
};

export const submissionSchema = z.object(submissionShape).meta({ id: 'Submission' });

export const mySubmissionSchema = z
  .object({
    ...submissionShape,
    href: z.string(),
    submitterName: z.string(),
    isOwn: z.boolean(),
    phaseTitle: z.string(),
    phaseState,
    canSelectFinal: z.boolean(),
    metrics: z.array(metricColumnSchema).meta({ description: "The challenge's metrics (names, directions, precision), primary first." }),
    publicValues: z.record(z.string(), metricValueSchema).meta({ description: 'Public-split values with their 68 % intervals, by metric id (nominal test set).' }),
    privateValues: z.record(z.string(), metricValueSchema).nullable().meta({ description: 'Private-split values with their intervals, once the truth is revealed; else null.' }),
  })
  .meta({ id: 'MySubmission' });

export const liveSubmissionSchema = z
  .object({
    id: z.string(),
    status: submissionStatusSchema,
    error: z.string().nullable().meta({ description: 'Why it failed, in words the participant can act on; null otherwise.' }),
    finishedAt: isoDateTime.nullable(),
    scoredVersion: z.string().nullable().meta({ description: 'The scoring version of the scores (changes when an organiser rescores).' }),
    metrics: z.array(metricColumnSchema).meta({ description: "The challenge's metrics, primary first, once there are scores to name; empty before." }),
    publicValues: z.record(z.string(), metricValueSchema).meta({ description: 'Public-split nominal scores with their intervals, by metric id; empty until scored.' }),
  })
  .meta({ id: 'LiveSubmission', description: 'Where a submission is in received → queued → scoring → scored | failed, with its public scores once scored.' });

const binaryDetailSchema = z.object({
  kind: z.literal('binary'),
  roc: z.object({ tpr: z.array(z.number()), fpr: z.array(z.number()) }),
  histogram: z.object({ edges: z.array(z.number()), signal: z.array(z.number()), background: z.array(z.number()) }),
});
const intervalDetailSchema = z.object({
  kind: z.literal('interval'),
  pe: z.object({ peId: z.array(z.number()), muHat: z.array(z.number()), p16: z.array(z.number()), p84: z.array(z.number()), muTrue: z.array(z.number()).nullable() }),
  coverageByMu: z.object({ edges: z.array(z.number()), coverage: z.array(z.number().nullable()), meanWidth: z.array(z.number().nullable()), count: z.array(z.number()) }),
  targetCoverage: z.number(),
});
const trackingBinsSchema = z.object({
  edges: z.array(z.number()),
  reconstructable: z.array(z.number()),
  matched: z.array(z.number()),
  candidates: z.array(z.number()),
  fakes: z.array(z.number()),
});
const trackingDetailSchema = z.object({
  kind: z.literal('tracking'),
  events: z.object({ eventId: z.array(z.number()), score: z.array(z.number()), efficiency: z.array(z.number().nullable()), fakeRate: z.array(z.number().nullable()) }),
  byPt: trackingBinsSchema,
  byEta: trackingBinsSchema,
  display: z
    .object({ eventId: z.number(), x: z.array(z.number()), y: z.array(z.number()), z: z.array(z.number()), track: z.array(z.number()), hits: z.number(), tracks: z.number() })
    .nullable(),
});
export const scoreDetailSchema = z.discriminatedUnion('kind', [binaryDetailSchema, intervalDetailSchema, trackingDetailSchema]).meta({
  id: 'ScoreDetail',
  description: 'Plot data: ROC curve and score histograms; submitted intervals and coverage per μ bin; or TrackML per-event scores, efficiency and fake rate by pT and η, and one event\'s hits by track.',
});

const bySplit = <T extends z.ZodType>(value: T) => z.object({ public: value.optional(), private: value.optional() });

export const submissionDetailSchema = z
  .object({
    ...submissionShape,
    task: z.enum(['binary-classification', 'interval-estimation', 'track-assignment']),
    phaseTitle: z.string(),
    phaseState,
    isPrivateRevealed: z.boolean(),
    privateHiddenReason: z.string().nullable(),
    submitterName: z.string(),
    scoredVersion: z.string().nullable(),
    metrics: z.array(metricColumnSchema),
    variations: z.array(z.object({ name: z.string(), label: z.string() })),
    scores: bySplit(z.record(z.string(), z.record(z.string(), metricValueSchema))).meta({ description: 'scores[split][variation][metric]; "systematics" is the robustness.' }),
    details: bySplit(z.record(z.string(), scoreDetailSchema)),
    canSelectFinal: z.boolean(),
  })
  .meta({ id: 'SubmissionDetail' });

const binningSchema = z.object({ bins: z.number().int(), min: z.number(), max: z.number() });
const weightAndEntries = z.tuple([z.number(), z.number()]).meta({ description: '[sum of weights, number of rows]' });
const histogramGroupSchema = z.object({
  name: z.string(),
  label: z.union([z.literal(0), z.literal(1)]).nullable(),
  weights: z.array(z.number()),
  sumw2: z.array(z.number()),
  entries: z.array(z.number()),
  underflow: weightAndEntries,
  overflow: weightAndEntries,
  missing: weightAndEntries,
  total: weightAndEntries,
});
const featureInfoSchema = z.object({ name: z.string(), unit: z.string(), description: z.string() });

export const featureHistogramSchema = z
  .object({
    dataset: z.string(),
    version: z.string(),
    table: z.literal('train'),
    feature: featureInfoSchema,
    missingValue: z.number(),
    binning: binningSchema,
    isDefaultBinning: z.boolean(),
    processes: z.array(histogramGroupSchema),
    classes: z.array(histogramGroupSchema),
    variation: z
      .object({
        name: z.string(),
        kind: z.enum(['parametrised', 'alternative-sample']),
        description: z.string(),
        compared: z.string(),
        nominal: histogramGroupSchema,
        varied: histogramGroupSchema,
      })
      .nullable(),
    hist2d: z
      .object({
        feature: featureInfoSchema,
        binningX: binningSchema,
        binningY: binningSchema,
        classes: z.array(
          z.object({ name: z.string(), label: z.union([z.literal(0), z.literal(1)]).nullable(), weights: z.array(z.number()), outside: weightAndEntries, missing: weightAndEntries, total: weightAndEntries }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'FeatureHistogram', description: 'Histograms of one training-table feature by process and by class (never from test truth), optionally a variation and a second feature.' });

export const displayEventsSchema = z
  .object({
    dataset: z.string(),
    version: z.string(),
    isToy: z.boolean(),
    events: z.array(
      z.object({
        eventId: z.number().int(),
        objects: z.array(
          z.object({ kind: z.enum(['large_r_jet', 'jet', 'cluster', 'tau', 'lepton', 'electron', 'muon', 'met']), pt: z.number(), eta: z.number(), phi: z.number(), m: z.number() }),
        ),
      }),
    ),
  })
  .meta({ id: 'DisplayEvents', description: 'The events of a version\'s events@display table (training events, no labels or weights) with their objects, in GeV.' });

export const healthSchema = z
  .object({ ok: z.boolean(), database: z.enum(['pglite', 'postgres']).nullable(), error: z.string().optional() })
  .meta({ id: 'Health' });

/** POST /api/test/clock: the platform's clock for end-to-end tests (only with ARENA_TEST_CLOCK=true). */
export const testClockBodySchema = z.object({ at: z.iso.datetime({ offset: true }).nullable() }).meta({ id: 'TestClockRequest' });
export const testClockResponseSchema = z.object({ now: isoDateTime }).meta({ id: 'TestClockResponse' });
