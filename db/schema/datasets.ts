import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';
import { users } from './users';

/**
 * A dataset (all its versions) and who owns it. Its hidden truth is the owner's: only the owner, organisers the owner
 * or an admin granted it to (dataset_grants), and admins may attach its versions to a challenge. A null owner means
 * the platform's operator: only admins (and their grantees) attach it.
 */
export const datasets = pgTable('datasets', {
  /** The dataset id of its manifests, e.g. "higgs-tautau-toy". */
  id: text('id').primaryKey(),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

export type Dataset = typeof datasets.$inferSelect;
