import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';

export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: id(),
    /** Dataset id from the manifest, e.g. "higgs-tautau-toy". */
    dataset: text('dataset').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    isToy: boolean('is_toy').notNull(),
    /** The manifest.json as written by the pipeline (files with sha256, columns, sources, licence). */
    manifest: jsonb('manifest').notNull(),
    /** Folder of the version relative to DATA_DIR. */
    storageDir: text('storage_dir').notNull(),
    /**
     * Listed in the public dataset catalogue. New versions are private until their owner (or an admin) publishes
     * them; a version used by a published challenge is shown there whatever this says. Truth files never are.
     */
    isPublic: boolean('is_public').notNull().default(false),
    /** When the owner or an admin last chose the visibility; null = never chosen (server start may publish built-ins). */
    visibilitySetAt: timestamp('visibility_set_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dataset_versions_dataset_version_idx').on(t.dataset, t.version)],
);

export type DatasetVersion = typeof datasetVersions.$inferSelect;
export type NewDatasetVersion = typeof datasetVersions.$inferInsert;
