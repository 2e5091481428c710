import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps, id } from './_columns';
import { datasetVersions } from './dataset-versions';
import { users } from './users';

export const challenges = pgTable(
  'challenges',
  {
    id: id(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    /** Bumped whenever metrics, splits or truth change; every score records the revision it was computed for. */
    revision: integer('revision').notNull(),
    /** The validated challenge definition (challenges/schema.ts) including its rendered pages. */
    definition: jsonb('definition').notNull(),
    datasetVersionId: uuid('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id),
    /** The organiser who owns the challenge (admins may act on every challenge). */
    createdBy: uuid('created_by').references(() => users.id),
    /** Null while a draft: only its organiser and admins see it. */
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('challenges_slug_idx').on(t.slug)],
);

export type Challenge = typeof challenges.$inferSelect;
export type NewChallenge = typeof challenges.$inferInsert;
