import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';
import { datasets } from './datasets';
import { users } from './users';

/** Organisers allowed to attach a dataset's versions to their challenges, granted by its owner or an admin. */
export const datasetGrants = pgTable(
  'dataset_grants',
  {
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    grantedBy: uuid('granted_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.userId] })],
);

export type DatasetGrant = typeof datasetGrants.$inferSelect;
