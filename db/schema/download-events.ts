import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { challenges } from './challenges';
import { datasetVersions } from './dataset-versions';
import { users } from './users';

/** One row per served dataset file, so organisers see download counts per file. */
export const downloadEvents = pgTable(
  'download_events',
  {
    id: id(),
    datasetVersionId: uuid('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id, { onDelete: 'cascade' }),
    challengeId: uuid('challenge_id').references(() => challenges.id, { onDelete: 'set null' }),
    fileName: text('file_name').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('download_events_version_file_idx').on(t.datasetVersionId, t.fileName)],
);

export type DownloadEvent = typeof downloadEvents.$inferSelect;
