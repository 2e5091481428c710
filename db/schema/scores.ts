import { doublePrecision, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { submissions } from './submissions';

export const scores = pgTable(
  'scores',
  {
    id: id(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    /** "public" or "private". */
    split: text('split').notNull(),
    /** "nominal", the name of a systematic variation test set, or "systematics" for the robustness of a metric. */
    variation: text('variation').notNull().default('nominal'),
    metric: text('metric').notNull(),
    value: doublePrecision('value').notNull(),
    ciLow: doublePrecision('ci_low'),
    ciHigh: doublePrecision('ci_high'),
    /**
     * Bootstrap replica values. Replica k resamples the same events for every submission of a challenge split,
     * so differences between two submissions' replicas are paired (tie groups on the leaderboard).
     */
    replicas: doublePrecision('replicas').array(),
    /** Replicas the metric could be computed on (a replica with one class has no AUC). */
    replicaCount: integer('replica_count'),
    /** Version of the scoring code that produced the value, so a rescore can be audited. */
    scoringVersion: text('scoring_version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Re-running a scoring job overwrites these rows instead of adding duplicates; a rescore under a new scoring
    // version adds rows and keeps the old ones.
    uniqueIndex('scores_submission_split_variation_metric_version_idx').on(t.submissionId, t.split, t.variation, t.metric, t.scoringVersion),
    index('scores_metric_split_idx').on(t.metric, t.split),
  ],
);

export type Score = typeof scores.$inferSelect;
export type NewScore = typeof scores.$inferInsert;
