import { jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { submissions } from './submissions';

/**
 * Plot data of a scored submission per split and variation (ROC points and per-class score histograms, or the
 * per-pseudo-experiment intervals and coverage by μ bin), drawn on the submission page. Kept per scoring version
 * like the scores.
 */
export const scoreDetails = pgTable(
  'score_details',
  {
    id: id(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    split: text('split').notNull(),
    variation: text('variation').notNull().default('nominal'),
    scoringVersion: text('scoring_version').notNull(),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('score_details_submission_split_variation_version_idx').on(t.submissionId, t.split, t.variation, t.scoringVersion)],
);

export type ScoreDetail = typeof scoreDetails.$inferSelect;
